package io.tdkvs.it.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * A test class that runs alone, after the others have run two at a time (it-tests/pom.xml): one that
 * shares the Arquillian containers, or that times how fast a fault is ridden out and would measure the
 * other class's load instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("one-at-a-time")
public @interface OneAtATime {
}
