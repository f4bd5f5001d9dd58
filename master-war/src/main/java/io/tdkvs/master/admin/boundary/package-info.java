/**
 * The operator's API: {@code GET /admin/status} and {@code GET /admin/migration} for anyone, and the
 * changes to the cluster's volumes ({@code POST /admin/volumes}, {@code POST /admin/volumes/drain}) for
 * the holder of the admin token.
 */
package io.tdkvs.master.admin.boundary;
