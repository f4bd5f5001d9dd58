package io.tdkvs.master.s3.boundary;

import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** The XML documents S3 requests carry, parsed with no DTD and no external entity. */
final class XmlRequest {

    private XmlRequest() {
    }

    /** @throws io.tdkvs.master.s3.entity.S3Exception MalformedXML if it is not XML */
    static Element root(byte[] document, String resource) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new ByteArrayInputStream(document)).getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw new io.tdkvs.master.s3.entity.S3Exception(io.tdkvs.master.s3.entity.S3Error.MALFORMED_XML,
                    "the request's document is not XML: " + e.getMessage(), resource);
        }
    }

    static String name(Node node) {
        return node.getLocalName() != null ? node.getLocalName() : node.getNodeName();
    }
}
