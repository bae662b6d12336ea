package org.jbitcoind.node.rpc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import org.jbitcoind.protocol.codec.Hex;

/**
 * Core's cookie authentication: a fresh random password written as {@code __cookie__:HEX} to
 * {@code <datadir>/<network>/.cookie}, readable by the owner only, so local tools (jbitcoin-cli, bitcoin-cli)
 * authenticate by reading the file. The file is written through a temporary name and renamed, so a reader
 * never sees half a cookie.
 */
public final class AuthCookie {
    public static final String USER = "__cookie__";
    private static final int SECRET_BYTES = 32;

    private AuthCookie() {
    }

    /** Creates the cookie file and returns its {@code user:password} content. */
    public static String generate(Path file) throws RpcConfigException {
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        String content = USER + ":" + Hex.encode(secret);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.deleteIfExists(tmp);
            createOwnerOnly(tmp);
            Files.writeString(tmp, content, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new RpcConfigException("Unable to write RPC cookie file " + file + ": " + e.getMessage(), e);
        }
        return content;
    }

    private static void createOwnerOnly(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file); // not a POSIX file system: the platform's default protection applies
        } catch (FileAlreadyExistsException e) {
            throw new IOException("temporary cookie file appeared concurrently: " + file, e);
        }
    }

    /** Removes the cookie file; quiet when it is already gone. */
    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            org.slf4j.LoggerFactory.getLogger(AuthCookie.class).warn("Unable to remove RPC cookie file {}: {}", file,
                    e.getMessage());
        }
    }

    /** Reads a cookie file's {@code user:password}, as a client does. */
    public static String read(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int newline = content.indexOf('\n');
        return (newline >= 0 ? content.substring(0, newline) : content).strip();
    }
}
