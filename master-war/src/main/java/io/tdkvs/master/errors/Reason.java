package io.tdkvs.master.errors;

/** Every way a request can fail, in the store's words; {@link StoreExceptionMapper} decides what each answers. */
public enum Reason {
    /** no value is stored under the key */
    NO_SUCH_KEY,
    /** the value's upload broke off, or ended before its announced length */
    VALUE_BROKE_OFF,
    /** the range asked for starts beyond the value (see {@link UnsatisfiableRangeException}) */
    RANGE_OUTSIDE_VALUE,
    /** a listing's page asked for wrongly: a limit that is not a positive number, ... */
    INVALID_PAGE,
    /** an admin change whose body is not {@code {"url": "http://host:port"}} */
    INVALID_CHANGE,
    /** an admin change without the admin token, or with another one */
    NOT_AUTHENTICATED,
    /** admin changes are turned off: the master's config sets no token */
    CHANGES_DISABLED,
    /** an admin change names a volume the cluster does not have */
    NO_SUCH_VOLUME,
    /** an admin change the cluster cannot make now: a migration runs, the volume is already in, ... */
    CHANGE_REFUSED,
    /** a volume did not answer */
    VOLUME_UNAVAILABLE,
    /** a volume answered, but not as it should (a missing blob, a wrong checksum, a refusal) */
    VOLUME_FAILED,
    /** a volume answered with a server error (5xx): a fault on its side, which may pass */
    VOLUME_ERROR,
    /** the volume receiving a value has no room for it */
    VOLUME_FULL,
    /** the master is starting or stopping */
    NOT_SERVING,
    /** this master of a group does not lead it now, and no leader could take the request */
    NO_LEADER,
    /** too few masters of the group answer to commit a change: nothing was changed */
    NO_QUORUM,
    /** a change was written on the leader, but a majority of the group did not confirm it: it may or may not last */
    COMMIT_UNCERTAIN,
    /** a change of the group of masters that cannot be made: the leader itself, too few would be left, ... */
    MEMBER_REFUSED,
    /** a change of the group of masters names a member it does not have */
    NO_SUCH_MEMBER,
    /** this master is on its own: it has no group of masters */
    NO_GROUP,
    /** no verify this master knows of began at the time asked for */
    NO_SUCH_VERIFY;

    /**
     * Whether the fault may pass by itself, so that the work is worth trying again later: a volume that
     * does not answer (or not in time), answers a server error, or is full.
     */
    public boolean mayPass() {
        return this == VOLUME_UNAVAILABLE || this == VOLUME_ERROR || this == VOLUME_FULL;
    }
}
