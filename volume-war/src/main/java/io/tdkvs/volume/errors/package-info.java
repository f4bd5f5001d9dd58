/** Why a volume request failed ({@link io.tdkvs.volume.errors.Reason}) and the one mapping to HTTP. */
package io.tdkvs.volume.errors;
