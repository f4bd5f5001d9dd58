package io.tdkvs.master;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiDescriptionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/get{key: (/.*)?}      | /get/{key}",
            "/list{prefix: (/.*)?}  | /list/{prefix}",
            "/blobs/{name: .+}      | /blobs/{name}",
            "/admin/status          | /admin/status"})
    void pathTemplatesAreShownWithoutTheirPatterns(String path, String shown) {
        assertEquals(shown, ApiDescription.shown(path));
    }
}
