/**
 * AWS Signature Version 4 as S3 checks it, apart from every S3 operation: a request signed in its
 * {@code Authorization} header or in a presigned URL's query, the signing key derived from a secret,
 * and the signatures of the chunks and trailer of a streaming upload.
 */
package io.tdkvs.master.s3.signature;
