package io.tdkvs.master;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

@ApplicationPath("/")
public class MasterApplication extends Application {
}
