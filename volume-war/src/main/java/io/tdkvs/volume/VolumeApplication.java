package io.tdkvs.volume;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("/")
public class VolumeApplication extends Application {
}
