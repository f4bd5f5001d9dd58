package io.tdkvs.master.s3.boundary;

import java.util.ArrayList;
import java.util.List;


import org.w3c.dom.Element;
import org.w3c.dom.Node;

import io.tdkvs.master.s3.entity.S3Error;
import io.tdkvs.master.s3.entity.S3Exception;

/**
 * A DeleteObjects document: {@code <Delete><Quiet>?</Quiet><Object><Key>k</Key></Object>...</Delete>},
 * 1 to 1000 objects. Read with no DTD and no external entity.
 */
record DeleteRequest(boolean quiet, List<String> keys) {

    static final int MAX_OBJECTS = 1000;

    static DeleteRequest parse(byte[] document, String resource) {
        Element root = XmlRequest.root(document, resource);
        if (!name(root).equals("Delete")) {
            throw new S3Exception(S3Error.MALFORMED_XML, "a DeleteObjects document's root is Delete, not " + name(root), resource);
        }
        boolean quiet = false;
        List<String> keys = new ArrayList<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (!(child instanceof Element element)) {
                continue;
            }
            switch (name(element)) {
                case "Quiet" -> quiet = Boolean.parseBoolean(element.getTextContent().strip());
                case "Object" -> keys.add(key(element, resource));
                default -> throw new S3Exception(S3Error.MALFORMED_XML, "unexpected element " + name(element) + " in Delete", resource);
            }
        }
        if (keys.isEmpty() || keys.size() > MAX_OBJECTS) {
            throw new S3Exception(S3Error.MALFORMED_XML, "a DeleteObjects document names 1 to " + MAX_OBJECTS + " objects, not "
                    + keys.size(), resource);
        }
        return new DeleteRequest(quiet, keys);
    }

    private static String key(Element object, String resource) {
        String key = null;
        for (Node child = object.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (child instanceof Element element) {
                switch (name(element)) {
                    case "Key" -> key = element.getTextContent();
                    case "VersionId" -> {
                        if (!element.getTextContent().strip().equals("null")) {
                            throw new S3Exception(S3Error.INVALID_ARGUMENT, "objects have no version but null", resource);
                        }
                    }
                    default -> throw new S3Exception(S3Error.NOT_IMPLEMENTED, "conditional deletes (" + name(element)
                            + ") are not implemented by tdkvs yet", resource);
                }
            }
        }
        if (key == null || key.isEmpty()) {
            throw new S3Exception(S3Error.MALFORMED_XML, "an Object of the Delete document has no Key", resource);
        }
        return key;
    }

    private static String name(Node node) {
        return XmlRequest.name(node);
    }
}
