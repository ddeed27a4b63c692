package io.autospec.nn;

/** The graph uses an op (or an attribute of one) that no step implements. */
public class UnsupportedOpException extends NnException {
    private final String op;
    private final String node;

    public UnsupportedOpException(String op, String node, String why) {
        super("op " + op + " (node '" + node + "') is not supported by autospec's executor" + (why == null ? "" : ": " + why));
        this.op = op;
        this.node = node;
    }

    public String op() {
        return op;
    }

    public String node() {
        return node;
    }
}
