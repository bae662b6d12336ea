package org.jbitcoind.chain.state;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports blocks from files in Bitcoin Core's blk*.dat format (-loadblock; Core's
 * LoadExternalBlockFile): records of network magic, a 4-byte little-endian length and a
 * serialized block. Each block goes through {@link ChainstateManager#processNewBlock}, validated
 * exactly as one from a peer. A block whose parent has not been seen yet is held until the
 * parent arrives (blk files are written in arrival order, not height order). Bytes that are not a
 * record (zero padding at the end of a preallocated file, a torn record) are skipped by scanning
 * for the next magic.
 *
 * <p>Parsing and hashing (block hash, txids, wtxids, merkle roots) run on the calling thread while
 * the chain thread validates earlier blocks.
 */
public final class BlockFileImporter {
    private static final Logger LOG = LoggerFactory.getLogger(BlockFileImporter.class);
    /**
     * Blocks submitted to the chain thread and not yet done: bounds memory while keeping it busy.
     * Parsing a block takes about a tenth of validating it, so a few are enough; every block in
     * flight is live heap that each young collection copies (32 made the live set of an import
     * about 20 MB, three quarters of it parsed blocks waiting). Four instead of eight cut what each
     * young collection of the Core-shaped import promotes from about 3.3 to 2 MB and its full
     * collections from four to two, and the chain thread still finds the next block waiting.
     */
    private static final int MAX_IN_FLIGHT = 4;
    /**
     * Serialized bytes of the blocks in flight: with full-size blocks the count alone would let
     * hundreds of MB of parsed blocks pile up ahead of the chain thread; a few blocks are enough to
     * keep it busy, as parsing is much faster than validation.
     */
    static final long MAX_IN_FLIGHT_BYTES = 8L << 20;
    /** Held blocks whose parent never came are dropped beyond this many (Core keeps them per file too). */
    private static final int MAX_HELD = 50_000;
    private static final int MIN_RECORD = 80;

    /**
     * What one import did.
     *
     * @param records  block records read
     * @param accepted blocks new to the node and valid so far
     * @param known    blocks the node already had
     * @param invalid  blocks rejected by validation
     * @param orphans  blocks still without their parent at the end of the file (dropped)
     */
    public record Result(int records, int accepted, int known, int invalid, int orphans) {
    }

    private final ChainstateManager chain;
    private final byte[] magic;
    private final BooleanSupplier stopRequested;

    private Runnable progress = () -> { };
    private final Map<Hash256, List<Record>> heldByParent = new HashMap<>();
    private final Set<Hash256> inFlightHashes = new HashSet<>();
    private final Deque<InFlight> inFlight = new ArrayDeque<>();
    private long inFlightBytes;
    private int held;
    private int records;
    private int accepted;
    private int known;
    private int invalid;

    /** Counts the bytes read from the file (below the buffer, so it runs ahead by at most 1 MiB). */
    private static final class CountingStream extends FilterInputStream {
        volatile long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    private record InFlight(Hash256 hash, long bytes, CompletableFuture<BlockProcessResult> result) {
    }

    /** @param stopRequested polled between blocks; true ends the import early (shutdown) */
    public BlockFileImporter(ChainstateManager chain, BooleanSupplier stopRequested) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.magic = chain.params().network().magicBytes();
        this.stopRequested = Objects.requireNonNull(stopRequested, "stopRequested");
    }

    /** Imports one file; the node is in initial block download meanwhile. */
    public Result importFile(Path file) throws IOException {
        long start = System.nanoTime();
        LOG.info("Importing blocks from {}", file);
        chain.setImporting(true);
        long size = Math.max(1, Files.size(file));
        try (CountingStream counting = new CountingStream(Files.newInputStream(file));
             InputStream in = new BufferedInputStream(counting, 1 << 20)) {
            progress = () -> chain.reportImportProgress(Math.min(1.0, (double) counting.count / size));
            Result r = importStream(in, file.toString());
            LOG.info("Imported {}: {} records, {} new blocks, {} already known, {} invalid, {} without parent, in {} ms",
                    file, r.records(), r.accepted(), r.known(), r.invalid(), r.orphans(),
                    (System.nanoTime() - start) / 1_000_000);
            return r;
        } finally {
            chain.setImporting(false);
        }
    }

    /** Imports the records of a stream (for tests and pipes); {@code name} is for log lines. */
    public Result importStream(InputStream in, String name) throws IOException {
        while (!stopRequested.getAsBoolean()) {
            byte[] raw = nextRecord(in, name);
            if (raw == null) {
                break;
            }
            records++;
            progress.run();
            Block block;
            try {
                block = Block.deserialize(raw);
            } catch (DecodeException e) {
                LOG.warn("{}: skipping a record that is not a block: {}", name, e.getMessage());
                continue;
            }
            // Hashing here, while the chain thread validates earlier blocks, takes it off the serial path.
            block.precomputeHashes();
            offer(new Record(block, raw));
        }
        drain(0);
        int orphans = held;
        if (orphans > 0) {
            LOG.warn("{}: {} blocks never got their parent and were not imported", name, orphans);
        }
        heldByParent.clear();
        held = 0;
        return new Result(records, accepted, known, invalid, orphans);
    }

    /** A block with the bytes it was decoded from (stored as they are), or null. */
    private record Record(Block block, byte[] raw) {
    }

    private void offer(Record record) throws IOException {
        Block block = record.block();
        Hash256 parent = block.header().prevBlock();
        boolean parentKnown = block.hash().equals(chain.params().genesisHash())
                || inFlightHashes.contains(parent) || chain.getBlockIndex(parent).isPresent();
        if (!parentKnown) {
            if (held < MAX_HELD) {
                // Without its bytes: a held block is kept once, not twice (it is serialized when submitted).
                heldByParent.computeIfAbsent(parent, k -> new ArrayList<>(1)).add(new Record(block, null));
                held++;
            }
            return;
        }
        submit(record);
        // Blocks that were waiting for this one (and, in turn, for their children).
        Deque<Hash256> released = new ArrayDeque<>();
        released.add(block.hash());
        while (!released.isEmpty()) {
            List<Record> children = heldByParent.remove(released.poll());
            if (children == null) {
                continue;
            }
            for (Record child : children) {
                held--;
                submit(child);
                released.add(child.block().hash());
            }
        }
    }

    private void submit(Record record) throws IOException {
        Block block = record.block();
        long bytes = block.totalSize();
        drain(MAX_IN_FLIGHT - 1, MAX_IN_FLIGHT_BYTES - bytes);
        inFlightHashes.add(block.hash());
        inFlightBytes += bytes;
        inFlight.add(new InFlight(block.hash(), bytes, chain.submitBlock(block, record.raw())));
    }

    private void drain(int max) throws IOException {
        drain(max, Long.MAX_VALUE);
    }

    /** Waits until at most {@code max} blocks of at most {@code maxBytes} are in flight, counting their results. */
    private void drain(int max, long maxBytes) throws IOException {
        while (inFlight.size() > max || (!inFlight.isEmpty() && inFlightBytes > maxBytes)) {
            InFlight f = inFlight.poll();
            inFlightBytes -= f.bytes();
            BlockProcessResult r;
            try {
                r = f.result().get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("import interrupted", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ChainstateFailure failure) {
                    // The chain state stopped (e.g. the disk is full) and said so itself: not a file problem.
                    throw failure;
                }
                throw new IOException("chain state failed during import: " + e.getCause().getMessage(), e.getCause());
            }
            inFlightHashes.remove(f.hash());
            switch (r.status()) {
                case ACCEPTED -> accepted++;
                case DUPLICATE -> known++;
                case NOT_STORED -> known++; // cannot happen: imports count as requested
                case INVALID, MISSING_PARENT -> {
                    invalid++;
                    LOG.warn("Imported block {} rejected: {} {}", r.hash(), r.rejectReason(), r.debug());
                }
            }
        }
    }

    /** The next record's payload, or null at the end; garbage between records is skipped. */
    private byte[] nextRecord(InputStream in, String name) throws IOException {
        while (true) {
            if (!skipToMagic(in)) {
                return null;
            }
            byte[] lenBytes = in.readNBytes(4);
            if (lenBytes.length < 4) {
                return null;
            }
            long len = (lenBytes[0] & 0xffL) | (lenBytes[1] & 0xffL) << 8 | (lenBytes[2] & 0xffL) << 16
                    | (lenBytes[3] & 0xffL) << 24;
            if (len < MIN_RECORD || len > Block.MAX_BLOCK_SERIALIZED_SIZE) {
                LOG.warn("{}: skipping a record of impossible length {}", name, len);
                continue;
            }
            // Into an array of the record's size: readNBytes(int) would gather it in 8 KiB chunks
            // and copy them into a second array.
            byte[] raw = new byte[(int) len];
            int got = in.readNBytes(raw, 0, raw.length);
            if (got < len) {
                LOG.warn("{}: file ends inside a record ({} of {} bytes)", name, got, len);
                return null;
            }
            return raw;
        }
    }

    private boolean skipToMagic(InputStream in) throws IOException {
        int matched = 0;
        while (matched < magic.length) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            if ((byte) b == magic[matched]) {
                matched++;
            } else {
                matched = (byte) b == magic[0] ? 1 : 0;
            }
        }
        return true;
    }
}
