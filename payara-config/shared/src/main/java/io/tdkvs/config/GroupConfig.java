package io.tdkvs.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The group of masters a master belongs to, from the {@code group} section of its config file:
 * <pre>
 * group:
 *   name: tdkvs                      # optional: the group's name (default tdkvs)
 *   othersWait: 30s                  # optional: how long a member with an empty index folder waits for another
 *                                    # member to answer with an index before it refuses to start (default 30s)
 *   self: master1                    # which member this file configures
 *   members:                         # an odd number of masters, 3 to 7; the first founds the group
 *     - name: master1
 *       url: http://127.0.0.1:3000   # where clients and the other masters reach its HTTP API
 *       replication: 127.0.0.1:3100  # host:port of its replication stream (elections, commits, copies)
 *     - ...
 * </pre>
 *
 * @param name    the replication group's name; every member uses the same
 * @param self    the member this config file belongs to
 * @param members    every member, in the file's order
 * @param othersWait how long a member whose index folder is empty, while the volumes hold values, waits for
 *                   another member to answer with an index (to copy it) before it refuses to found a group
 */
public record GroupConfig(String name, Member self, List<Member> members, Duration othersWait) {

    public static final String DEFAULT_NAME = "tdkvs";
    public static final Duration DEFAULT_OTHERS_WAIT = Duration.ofSeconds(30);
    public static final int MIN_MEMBERS = 3;
    public static final int MAX_MEMBERS = 7;

    static final Set<String> FIELDS = Set.of("name", "self", "members", "othersWait");
    private static final Set<String> MEMBER_FIELDS = Set.of("name", "url", "replication");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public GroupConfig {
        members = List.copyOf(members);
    }

    /** A group whose members wait {@link #DEFAULT_OTHERS_WAIT} for the others. */
    public GroupConfig(String name, Member self, List<Member> members) {
        this(name, self, members, DEFAULT_OTHERS_WAIT);
    }

    /**
     * A master of the group.
     *
     * @param name        its name in the group (and in JE's replication group), stable across restarts
     * @param url         its HTTP base URL, {@code http://host:port}
     * @param replication where its replication stream listens
     */
    public record Member(String name, URI url, Address replication) {

        /**
         * A member from its three parts as written (in a config file, or a request of the admin API).
         *
         * @throws InvalidMember naming the part that is wrong
         */
        public static Member of(String name, String url, String replication) {
            if (!NAME.matcher(name).matches()) {
                throw new InvalidMember("name", "\"" + name + "\" is not a member name (letters, digits, '_', '.', '-'; at most 64)");
            }
            URI parsed = VolumeUrl.of(url).map(valid -> URI.create(valid.value()))
                    .filter(valid -> valid.getPort() > 0 && valid.getRawPath().isEmpty())
                    .orElseThrow(() -> new InvalidMember("url", "\"" + url + "\" is not a master URL (expected http://host:port)"));
            Address address = Address.parse(replication).orElseThrow(() -> new InvalidMember("replication", "\"" + replication
                    + "\" is not a replication address (expected host:port)"));
            return new Member(name, parsed, address);
        }

        @Override
        public String toString() {
            return name + " (" + url + ")";
        }
    }

    /** A {@code host:port} on which a member's replication stream listens. */
    public record Address(String host, int port) {

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }

        boolean loopback() {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        /** {@code host:port}, {@code [v6]:port}; empty when it is not one. */
        static Optional<Address> parse(String text) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                return Optional.empty();
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            } else if (host.contains(":") || host.contains("/")) {
                return Optional.empty();
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                return port < 1 || port > 65535 || host.isBlank() ? Optional.empty() : Optional.of(new Address(host, port));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }
    }

    /** The other members. */
    public List<Member> others() {
        return members.stream().filter(member -> !member.equals(self)).toList();
    }

    /** The member that founds the group when none exists yet: the first one listed. */
    public Member founder() {
        return members.get(0);
    }

    public Optional<Member> member(String memberName) {
        return members.stream().filter(member -> member.name().equals(memberName)).findFirst();
    }

    /** A majority of the members listed. */
    public int majority() {
        return members.size() / 2 + 1;
    }

    static GroupConfig read(YamlFile group, int port) {
        String name = group.string("name").orElse(DEFAULT_NAME);
        if (!NAME.matcher(name).matches()) {
            throw group.invalid("name", "\"" + name + "\" is not a group name (letters, digits, '_', '.', '-'; at most 64)");
        }
        List<YamlFile> listed = group.sections("members", MEMBER_FIELDS);
        if (listed.size() < MIN_MEMBERS || listed.size() > MAX_MEMBERS || listed.size() % 2 == 0) {
            throw group.invalid("members", "lists " + listed.size() + " masters; a group needs an odd number, " + MIN_MEMBERS
                    + " to " + MAX_MEMBERS + " (3 keep working with one down, 5 with two)");
        }
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < listed.size(); i++) {
            Member member = member(listed.get(i));
            for (int j = 0; j < members.size(); j++) {
                Member other = members.get(j);
                String twice = other.name().equals(member.name()) ? "name " + member.name()
                        : other.url().equals(member.url()) ? "url " + member.url()
                        : other.replication().equals(member.replication()) ? "replication " + member.replication() : null;
                if (twice != null) {
                    throw group.invalid("members[" + i + "]", "has the same " + twice + " as members[" + j + "]");
                }
            }
            members.add(member);
        }
        if (members.stream().map(member -> member.replication().loopback()).distinct().count() > 1) {
            throw group.invalid("members", "mixes loopback and other replication addresses; the members must reach each "
                    + "other on addresses of one kind");
        }
        String selfName = group.string("self").orElseThrow(() -> group.missing("self"));
        Member self = members.stream().filter(member -> member.name().equals(selfName)).findFirst()
                .orElseThrow(() -> group.invalid("self", "\"" + selfName + "\" is not among the members "
                        + members.stream().map(Member::name).toList()));
        if (self.url().getPort() != port) {
            throw group.invalid("self", "member " + self.name() + "'s url " + self.url() + " is not on this master's port "
                    + port);
        }
        return new GroupConfig(name, self, members, group.duration("othersWait").orElse(DEFAULT_OTHERS_WAIT));
    }

    private static Member member(YamlFile member) {
        try {
            return Member.of(member.string("name").orElseThrow(() -> member.missing("name")),
                    member.string("url").orElseThrow(() -> member.missing("url")),
                    member.string("replication").orElseThrow(() -> member.missing("replication")));
        } catch (InvalidMember e) {
            throw member.invalid(e.field(), e.getMessage());
        }
    }

    /** A member described wrongly; {@link #field()} says which part. */
    public static final class InvalidMember extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        private final String field;

        InvalidMember(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }
}
