package dev.faultline.streams;

/** The seed's logic error (`allowFail`): thrown while processing a record whose id mod messagesPerFail == messagesPerFail - 1. */
public final class InjectedFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long id;

    public InjectedFailure(long id, long messagesPerFail) {
        super("allowFail: injected failure on id " + id + " (id mod " + messagesPerFail + " == " + (messagesPerFail - 1) + ")");
        this.id = id;
    }

    public long id() {
        return id;
    }
}
