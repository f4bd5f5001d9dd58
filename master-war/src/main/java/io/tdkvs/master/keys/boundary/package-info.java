/**
 * The client API: {@code PUT /set/<key>}, {@code GET|HEAD /get/<key>}, {@code DELETE /delete/<key>},
 * each also as {@code /<verb>?key=<key>} for keys that a URL path cannot carry, and
 * {@code GET /list/<prefix>}.
 */
package io.tdkvs.master.keys.boundary;
