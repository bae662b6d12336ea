package org.jbitcoind.storage;

/**
 * The chain database cannot be opened, read or written: wrong network or format version, a
 * record that does not decode, or an error from RocksDB. Checked on purpose: the node must
 * decide whether to stop (it usually should) rather than run on a store it cannot trust.
 */
public final class StorageException extends Exception {
    public StorageException(String message) {
        super(message);
    }

    public StorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
