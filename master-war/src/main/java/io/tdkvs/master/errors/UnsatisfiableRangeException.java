package io.tdkvs.master.errors;

/** A range that starts beyond the value; the answer says how long the value is. */
public class UnsatisfiableRangeException extends StoreException {

    private static final long serialVersionUID = 1L;

    private final long valueSize;

    public UnsatisfiableRangeException(String range, long valueSize) {
        super(Reason.RANGE_OUTSIDE_VALUE, "the range " + range + " is outside the value's " + valueSize + " bytes");
        this.valueSize = valueSize;
    }

    public long valueSize() {
        return valueSize;
    }
}
