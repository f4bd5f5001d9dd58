/** The operator's view of the master: {@code GET /admin/status} and {@code GET /admin/migration}. */
package io.tdkvs.master.admin.boundary;
