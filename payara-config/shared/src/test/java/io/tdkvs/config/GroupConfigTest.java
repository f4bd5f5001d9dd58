package io.tdkvs.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GroupConfigTest {

    private static final String HEAD = "port: 3010\nvolumes: [http://127.0.0.1:3001]\n";
    private static final String THREE = """
            group:
              self: master2
              members:
                - {name: master1, url: http://127.0.0.1:3000, replication: 127.0.0.1:3100}
                - {name: master2, url: 'HTTP://127.0.0.1:3010/', replication: 127.0.0.1:3110}
                - {name: master3, url: http://127.0.0.1:3020, replication: '127.0.0.1:3120'}
            """;

    @TempDir
    Path dir;

    @Test
    void readsTheMembersInOrderAndWhichOneThisIs() throws IOException {
        GroupConfig group = MasterConfig.load(write(HEAD + THREE)).group().orElseThrow();
        assertEquals(GroupConfig.DEFAULT_NAME, group.name());
        assertEquals(List.of("master1", "master2", "master3"), group.members().stream().map(GroupConfig.Member::name).toList());
        assertEquals("master2", group.self().name());
        assertEquals(URI.create("http://127.0.0.1:3010"), group.self().url());
        assertEquals(new GroupConfig.Address("127.0.0.1", 3110), group.self().replication());
        assertEquals("127.0.0.1:3110", group.self().replication().toString());
        assertEquals("master1", group.founder().name());
        assertEquals(List.of("master1", "master3"), group.others().stream().map(GroupConfig.Member::name).toList());
        assertEquals(2, group.majority());
        assertEquals(GroupConfig.DEFAULT_OTHERS_WAIT, group.othersWait());
        GroupConfig patient = MasterConfig.load(write(HEAD + THREE.replace("  self: master2\n", "  self: master2\n  othersWait: 2m\n")))
                .group().orElseThrow();
        assertEquals(java.time.Duration.ofMinutes(2), patient.othersWait());
    }

    @Test
    void aMasterWithoutAGroupHasNone() throws IOException {
        assertTrue(MasterConfig.load(write(HEAD)).group().isEmpty());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "group: yes                                             | group: must be a mapping",
            "group: {self: a}                                       | group.members: is required",
            "group: {self: a, members: [{name: a, url: http://h:3010, replication: h:1}]} | group.members: lists 1 masters; a group needs an odd number, 3 to 7",
            "group: {self: a, memebrs: []}                          | group.memebrs: unknown field",
            "group: {self: a, othersWait: 30, members: [{name: a, url: http://h:3010, replication: h:1}, {name: b, url: http://h:2, replication: h:2}, {name: c, url: http://h:3, replication: h:3}]} | group.othersWait: must be a length of time with its unit",
            "group: {self: a, members: [x, y, z]}                   | group.members[0]: must be a mapping",
            "group: {self: a, members: [{name: a, url: http://h:3010, replication: h:1}, {name: b, url: http://h:2, replication: h:2}, {name: c, url: http://h:3, replication: h:3, port: 4}]} | group.members[2].port: unknown field",
            "group: {self: a, members: [{name: a, url: http://h:3010, replication: h:1}, {name: b, url: h:2, replication: h:2}, {name: c, url: http://h:3, replication: h:3}]} | group.members[1].url: \"h:2\" is not a master URL",
            "group: {self: a, members: [{name: a, url: http://h:3010, replication: h:1}, {name: b, url: http://h:2, replication: h}, {name: c, url: http://h:3, replication: h:3}]} | group.members[1].replication: \"h\" is not a replication address",
            "group: {self: a, members: [{name: a, url: http://h:3010, replication: h:1}, {name: 'b c', url: http://h:2, replication: h:2}, {name: c, url: http://h:3, replication: h:3}]} | group.members[1].name: \"b c\" is not a member name",
            "group: {self: a, members: [{name: a, url: http://h:3010, replication: h:1}, {name: a, url: http://h:2, replication: h:2}, {name: c, url: http://h:3, replication: h:3}]} | group.members[1]: has the same name a as members[0]",
            "group: {self: a, members: [{name: a, url: http://h:3010, replication: h:1}, {name: b, url: http://h:2, replication: h:1}, {name: c, url: http://h:3, replication: h:3}]} | group.members[1]: has the same replication h:1 as members[0]",
            "group: {self: d, members: [{name: a, url: http://h:3010, replication: h:1}, {name: b, url: http://h:2, replication: h:2}, {name: c, url: http://h:3, replication: h:3}]} | group.self: \"d\" is not among the members [a, b, c]",
            "group: {self: b, members: [{name: a, url: http://h:3010, replication: h:1}, {name: b, url: http://h:2, replication: h:2}, {name: c, url: http://h:3, replication: h:3}]} | group.self: member b's url http://h:2 is not on this master's port 3010",
            "group: {members: [{name: a, url: http://h:3010, replication: h:1}, {name: b, url: http://h:2, replication: h:2}, {name: c, url: http://h:3, replication: h:3}]} | group.self: is required",
            "group: {self: a, members: [{name: a, url: http://127.0.0.1:3010, replication: '127.0.0.1:1'}, {name: b, url: http://h:2, replication: '10.1.1.1:2'}, {name: c, url: http://h:3, replication: '127.0.0.1:3'}]} | group.members: mixes loopback and other replication addresses",
            "group: {name: 'a b', self: a, members: []}             | group.name: \"a b\" is not a group name"})
    void namesTheFieldAndTheProblem(String yaml, String expected) throws IOException {
        Path file = write(HEAD + yaml);
        ConfigException e = assertThrows(ConfigException.class, () -> MasterConfig.load(file));
        assertTrue(e.getMessage().startsWith(file + ": " + expected), e.getMessage());
    }

    private Path write(String text) throws IOException {
        return Files.writeString(dir.resolve("master.yaml"), text);
    }
}
