package io.tdkvs.master.group.entity;

import java.util.List;

/**
 * The group of masters as the status shows it.
 *
 * @param self    the member that answered
 * @param role    what that member does ({@link Role#label()})
 * @param leader  the leader's name, if one is known
 * @param members every member, in the config's order, then members that joined since
 */
public record GroupView(String name, String self, String role, String leader, List<MemberView> members) {

    public GroupView {
        members = List.copyOf(members);
    }
}
