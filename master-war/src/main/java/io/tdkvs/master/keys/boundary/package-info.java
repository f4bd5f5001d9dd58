/**
 * The client API: {@code PUT /set/<key>}, {@code GET|HEAD /get/<key>}, {@code DELETE /delete/<key>},
 * each also as {@code /<verb>?key=<key>} for keys that a URL path cannot carry.
 */
package io.tdkvs.master.keys.boundary;
