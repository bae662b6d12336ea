package org.jbitcoind.node.addrmgr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hashes;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.NetworkId;
import org.jbitcoind.protocol.net.PeerAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves and loads the address manager ({@code peers.dat} in the network's data folder). Our own
 * format, not Core's: magic "JBAM", a version byte, the bucketing key, the entries (address in
 * BIP155 form, source, attempt history, table), then SHA256 of everything before it. A file
 * that is missing starts an empty manager; one that is truncated, corrupt or of an unknown
 * version is logged at WARN, moved aside as {@code peers.dat.bad}, and an empty manager is used.
 */
public final class AddrManStore {
    public static final String FILE_NAME = "peers.dat";
    private static final Logger LOG = LoggerFactory.getLogger(AddrManStore.class);
    private static final byte[] MAGIC = {'J', 'B', 'A', 'M'};
    private static final int VERSION = 1;
    private static final int MAX_ENTRIES = (AddrMan.NEW_BUCKETS + AddrMan.TRIED_BUCKETS) * AddrMan.BUCKET_SIZE;

    private AddrManStore() {
    }

    /** Writes atomically (temporary file, then rename) so a crash leaves the old file intact. */
    public static void save(AddrMan addrMan, Path file) throws IOException {
        List<AddrInfo> entries = addrMan.snapshot();
        ByteWriter w = new ByteWriter();
        w.writeBytes(MAGIC).writeU8(VERSION).writeBytes(addrMan.key()).writeCompactSize(entries.size());
        for (AddrInfo e : entries) {
            e.address.writeV2(w);
            w.writeU8(e.source.network().id()).writeVarBytes(e.source.bytes());
            w.writeI64LE(e.lastTry).writeI64LE(e.lastSuccess).writeU32LE(e.attempts).writeU8(e.inTried ? 1 : 0);
        }
        byte[] body = w.toByteArray();
        byte[] sum = Hashes.sha256(body);
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, concat(body, sum));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Loads the file, or returns an empty manager if it is absent or unreadable (never throws for content). */
    public static AddrMan load(Path file) {
        if (!Files.exists(file)) {
            return new AddrMan();
        }
        try {
            AddrMan m = decode(Files.readAllBytes(file));
            LOG.info("loaded {} addresses ({} tried) from {}", m.size(), m.triedCount(), file);
            return m;
        } catch (DecodeException | IOException e) {
            LOG.warn("address file {} is unusable ({}); starting with an empty address manager", file,
                    e.getMessage());
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + ".bad"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warn("could not move {} aside: {}", file, moveFailed.getMessage());
            }
            return new AddrMan();
        }
    }

    static AddrMan decode(byte[] data) throws DecodeException {
        if (data.length < MAGIC.length + 1 + 32 + 32) {
            throw new DecodeException("file too short");
        }
        byte[] body = Arrays.copyOf(data, data.length - 32);
        if (!Arrays.equals(Hashes.sha256(body), Arrays.copyOfRange(data, data.length - 32, data.length))) {
            throw new DecodeException("checksum mismatch");
        }
        ByteReader r = new ByteReader(body);
        if (!Arrays.equals(r.readBytes(MAGIC.length), MAGIC)) {
            throw new DecodeException("not an address file");
        }
        int version = r.readU8();
        if (version != VERSION) {
            throw new DecodeException("unsupported version " + version);
        }
        AddrMan m = new AddrMan(r.readBytes(32), new SecureRandom());
        int n = r.readCount(MAX_ENTRIES, "address count");
        for (int i = 0; i < n; i++) {
            PeerAddress address = PeerAddress.readV2(r);
            int sourceNet = r.readU8();
            byte[] sourceBytes = r.readVarBytes(32, "source address");
            long lastTry = r.readI64LE();
            long lastSuccess = r.readI64LE();
            long attempts = r.readU32LE();
            boolean tried = r.readU8() != 0;
            NetworkId net = NetworkId.fromId(sourceNet).orElseThrow(() -> new DecodeException("bad source network"));
            if (address == null || sourceBytes.length != net.addressLength()) {
                throw new DecodeException("bad entry " + i);
            }
            AddrInfo info = new AddrInfo(address, new NetAddress(net, sourceBytes));
            info.lastTry = lastTry;
            info.lastSuccess = lastSuccess;
            info.attempts = (int) Math.min(attempts, Integer.MAX_VALUE);
            info.inTried = tried;
            m.restore(info);
        }
        r.expectEnd("address file");
        return m;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
