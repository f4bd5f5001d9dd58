/** Why a request failed ({@link io.tdkvs.master.errors.Reason}) and the one mapping of failures to HTTP. */
package io.tdkvs.master.errors;
