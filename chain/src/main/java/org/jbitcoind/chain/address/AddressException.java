package org.jbitcoind.chain.address;

/** A string that is not a valid address or key for the network; the message says why. */
public final class AddressException extends Exception {
    private static final long serialVersionUID = 1L;

    public AddressException(String message) {
        super(message);
    }
}
