package io.tdkvs.master.s3.boundary;

import java.util.ArrayList;
import java.util.List;

import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.tdkvs.master.s3.control.S3Uploads;
import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;
import io.tdkvs.master.s3.entity.Upload;

/** A CompleteMultipartUpload document: {@code <CompleteMultipartUpload><Part><PartNumber>n</PartNumber><ETag>"..."</ETag></Part>...}. */
final class CompleteRequest {

    private CompleteRequest() {
    }

    static List<S3Uploads.Named> parse(byte[] document, String resource) {
        Element root = XmlRequest.root(document, resource);
        if (!XmlRequest.name(root).equals("CompleteMultipartUpload")) {
            throw new S3Exception(S3Error.MALFORMED_XML, "the document's root is CompleteMultipartUpload, not "
                    + XmlRequest.name(root), resource);
        }
        List<S3Uploads.Named> parts = new ArrayList<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (!(child instanceof Element part)) {
                continue;
            }
            if (!XmlRequest.name(part).equals("Part")) {
                throw new S3Exception(S3Error.MALFORMED_XML, "unexpected element " + XmlRequest.name(part), resource);
            }
            Integer number = null;
            String etag = null;
            for (Node field = part.getFirstChild(); field != null; field = field.getNextSibling()) {
                if (field instanceof Element element) {
                    switch (XmlRequest.name(element)) {
                        case "PartNumber" -> number = number(element.getTextContent(), resource);
                        case "ETag" -> etag = element.getTextContent();
                        default -> {
                            // the parts' checksums: each part's was checked as it was uploaded
                        }
                    }
                }
            }
            if (number == null || etag == null) {
                throw new S3Exception(S3Error.MALFORMED_XML, "a Part needs a PartNumber and an ETag", resource);
            }
            parts.add(new S3Uploads.Named(number, etag));
        }
        if (parts.size() > Upload.MAX_PARTS) {
            throw new S3Exception(S3Error.MALFORMED_XML, "at most " + Upload.MAX_PARTS + " parts", resource);
        }
        return parts;
    }

    private static int number(String text, String resource) {
        try {
            int number = Integer.parseInt(text.strip());
            if (number >= 1 && number <= Upload.MAX_PARTS) {
                return number;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new S3Exception(S3Error.INVALID_ARGUMENT, "a part number is 1 to " + Upload.MAX_PARTS + ", not " + text, resource);
    }
}
