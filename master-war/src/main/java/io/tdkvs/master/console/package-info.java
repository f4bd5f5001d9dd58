/** The operator's console: a web page served from the master WAR at {@code /console}, drawn from the admin API. */
package io.tdkvs.master.console;
