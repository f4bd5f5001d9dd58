package io.tdkvs.master.s3.boundary;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** S3's XML answers, written as text: a declaration, elements in S3's namespace, escaped content. */
final class Xml {

    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private final StringBuilder text = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    /** A document whose root element, in S3's namespace, is {@code root}. */
    static Xml document(String root) {
        Xml xml = new Xml();
        xml.text.append('<').append(root).append(" xmlns=\"").append(NAMESPACE).append("\">");
        return xml;
    }

    /** A document whose root element is in no namespace (S3's error document). */
    static Xml plain(String root) {
        Xml xml = new Xml();
        xml.text.append('<').append(root).append('>');
        return xml;
    }

    Xml open(String element) {
        text.append('<').append(element).append('>');
        return this;
    }

    Xml close(String element) {
        text.append("</").append(element).append('>');
        return this;
    }

    Xml element(String element, String content) {
        open(element);
        escape(content);
        return close(element);
    }

    /** Text content of the element open now. */
    Xml text(String content) {
        escape(content);
        return this;
    }

    Xml element(String element, long content) {
        return element(element, Long.toString(content));
    }

    Xml element(String element, boolean content) {
        return element(element, Boolean.toString(content));
    }

    /** An ISO 8601 time with milliseconds, as S3 writes LastModified and CreationDate. */
    Xml time(String element, Instant time) {
        return element(element, TIME.format(time.truncatedTo(ChronoUnit.MILLIS)));
    }

    String end(String root) {
        close(root);
        return text.toString();
    }

    private void escape(String content) {
        for (int i = 0; i < content.length(); i++) {
            char c = content.charAt(i);
            switch (c) {
                case '<' -> text.append("&lt;");
                case '>' -> text.append("&gt;");
                case '&' -> text.append("&amp;");
                case '"' -> text.append("&quot;");
                case '\'' -> text.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        text.append("&#").append((int) c).append(';'); // XML 1.0 cannot hold these; S3 escapes them so
                    } else {
                        text.append(c);
                    }
                }
            }
        }
    }
}
