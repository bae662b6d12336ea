package org.jbitcoind.chain.mempool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jbitcoind.chain.validation.ValidationException;
import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * mempool.dat in Bitcoin Core's format, so the file moves between the two nodes:
 * <pre>
 *   u64 version            1 (plain) or 2 (what we write: obfuscated)
 *   [v2] compact 8, 8 key  XOR key; every later byte at file offset p is XORed with key[p % 8]
 *   u64 count
 *   count x { tx (with witness), i64 entry time (s), i64 fee delta }
 *   compact n, n x { txid (32), i64 delta }     prioritisetransaction deltas
 *   compact m, m x txid (32)                   unbroadcast set
 * </pre>
 * Written to a temporary file, synced and renamed over the old one, so a crash leaves the old
 * file or the new one. On load every transaction is validated again against the current tip;
 * a truncated or corrupt file loads what precedes the damage.
 */
public final class MempoolPersist {
    public static final String FILE_NAME = "mempool.dat";
    static final long VERSION_NO_XOR = 1;
    static final long VERSION_XOR = 2;
    private static final int KEY_SIZE = 8;
    private static final long MAX_ENTRIES = 100_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(MempoolPersist.class);

    /** What {@link #load} did. */
    public record LoadResult(int accepted, int failed, int expired, int alreadyThere, boolean complete) {
    }

    private MempoolPersist() {
    }

    /** Writes the pool to {@code file} atomically. */
    public static void dump(TxMempool pool, Path file) throws IOException {
        List<TxMempool.PersistedEntry> entries = pool.snapshotForDump();
        // As Core: deltas of pool transactions travel with their entry, the map holds only the others
        // (Core's loader applies both, so listing one twice would double it).
        Map<Hash256, Long> deltas = new java.util.HashMap<>(pool.deltas());
        for (TxMempool.PersistedEntry e : entries) {
            deltas.remove(e.tx().txid());
        }
        Set<Hash256> unbroadcast = pool.unbroadcast();
        byte[] key = new byte[KEY_SIZE];
        new SecureRandom().nextBytes(key);
        byte[] data = encode(entries, deltas, unbroadcast, key);
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(data));
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(file.toAbsolutePath().getParent());
        LOG.info("dumped mempool: {} transactions, {} bytes to {}", entries.size(), data.length, file);
    }

    /** Makes the rename itself durable (the directory entry), where the platform allows opening a directory. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot sync directory {}: {}", dir, e.getMessage());
        }
    }

    static byte[] encode(List<TxMempool.PersistedEntry> entries, Map<Hash256, Long> deltas, Set<Hash256> unbroadcast,
            byte[] key) {
        ByteWriter w = new ByteWriter(1024);
        w.writeI64LE(VERSION_XOR);
        w.writeCompactSize(KEY_SIZE);
        w.writeBytes(key);
        int start = w.size();
        w.writeI64LE(entries.size());
        for (TxMempool.PersistedEntry e : entries) {
            e.tx().write(w, true);
            w.writeI64LE(e.time());
            w.writeI64LE(e.feeDelta());
        }
        w.writeCompactSize(deltas.size());
        for (Map.Entry<Hash256, Long> d : deltas.entrySet()) {
            w.writeHash(d.getKey());
            w.writeI64LE(d.getValue());
        }
        w.writeCompactSize(unbroadcast.size());
        for (Hash256 h : unbroadcast) {
            w.writeHash(h);
        }
        byte[] out = w.toByteArray();
        xor(out, start, key);
        return out;
    }

    private static void xor(byte[] data, int from, byte[] key) {
        for (int p = from; p < data.length; p++) {
            data[p] ^= key[p % KEY_SIZE];
        }
    }

    /**
     * Reads {@code file} into the pool, validating every transaction against {@code ctx}. Entries
     * older than the pool's expiry are skipped. A missing file is an empty pool; a damaged one
     * loads what can be read before the damage.
     */
    public static LoadResult load(TxMempool pool, Path file, ChainContext ctx) throws IOException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new LoadResult(0, 0, 0, 0, true);
        }
        int accepted = 0;
        int failed = 0;
        int expired = 0;
        int already = 0;
        boolean complete = false;
        try {
            ByteReader header = new ByteReader(data);
            long version = header.readI64LE();
            int start;
            if (version == VERSION_XOR) {
                long keyLen = header.readCompactSize();
                if (keyLen != KEY_SIZE) {
                    throw new DecodeException("obfuscation key of " + keyLen + " bytes");
                }
                byte[] key = header.readBytes(KEY_SIZE);
                start = header.position();
                xor(data, start, key);
            } else if (version == VERSION_NO_XOR) {
                start = header.position();
            } else {
                throw new DecodeException("unknown mempool.dat version " + version);
            }
            ByteReader r = new ByteReader(data, start, data.length - start);
            long count = r.readI64LE();
            if (count < 0 || count > MAX_ENTRIES) {
                throw new DecodeException("implausible entry count " + count);
            }
            long expiryCutoff = pool.now() - pool.options().expiry().toSeconds();
            for (long i = 0; i < count; i++) {
                Transaction tx = Transaction.read(r);
                long time = r.readI64LE();
                long feeDelta = r.readI64LE();
                if (feeDelta != 0) {
                    pool.prioritise(tx.txid(), feeDelta);
                }
                if (time < expiryCutoff) {
                    expired++;
                    continue;
                }
                try {
                    pool.acceptWithTime(tx, ctx, time);
                    accepted++;
                } catch (ValidationException e) {
                    if ("txn-already-in-mempool".equals(e.rejectReason())) {
                        already++;
                    } else {
                        failed++;
                        LOG.debug("mempool.dat transaction {} not accepted: {}", tx.txid(), e.getMessage());
                    }
                }
            }
            int nDeltas = r.readCount(MAX_ENTRIES, "fee deltas");
            for (int i = 0; i < nDeltas; i++) {
                pool.prioritise(r.readHash(), r.readI64LE());
            }
            int nUnbroadcast = r.readCount(MAX_ENTRIES, "unbroadcast txids");
            for (int i = 0; i < nUnbroadcast; i++) {
                pool.addUnbroadcast(r.readHash());
            }
            complete = true;
        } catch (DecodeException e) {
            LOG.warn("mempool file {} is damaged ({}); kept the {} transactions read before the damage", file,
                    e.getMessage(), accepted);
        }
        LOG.info("loaded mempool from {}: {} accepted, {} failed, {} expired, {} already there", file, accepted,
                failed, expired, already);
        return new LoadResult(accepted, failed, expired, already, complete);
    }
}
