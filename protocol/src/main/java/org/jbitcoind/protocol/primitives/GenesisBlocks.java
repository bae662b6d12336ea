package org.jbitcoind.protocol.primitives;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.jbitcoind.config.Network;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;

/**
 * The first block of each network, rebuilt from the parameters it was mined with (coinbase message,
 * output key, time, nonce, bits, version) rather than stored as bytes, so the hash test proves both
 * our serialization and the parameters.
 */
public final class GenesisBlocks {
    private static final long COIN = 100_000_000L;
    private static final String TIMES_2009 = "The Times 03/Jan/2009 Chancellor on brink of second bailout for banks";
    private static final String SATOSHI_KEY = "04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb6"
            + "49f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f";
    private static final String TESTNET4_MESSAGE =
            "03/May/2024 000000000000000000001ebd58c244970b3aa9d783bb001011fbe8ea8e98e00e";
    private static final String TESTNET4_KEY = "00".repeat(33);
    /** The genesis coinbase script starts with a push of 486604799 (0x1d00ffff) and a push of 4. */
    private static final long COINBASE_PREFIX_NUMBER = 486_604_799L;

    private static final Map<Network, Block> BLOCKS = new EnumMap<>(Network.class);

    static {
        BLOCKS.put(Network.MAIN, create(TIMES_2009, SATOSHI_KEY, 1231006505L, 2083236893L, 0x1d00ffffL));
        BLOCKS.put(Network.TESTNET3, create(TIMES_2009, SATOSHI_KEY, 1296688602L, 414098458L, 0x1d00ffffL));
        BLOCKS.put(Network.TESTNET4, create(TESTNET4_MESSAGE, TESTNET4_KEY, 1714777860L, 393743547L, 0x1d00ffffL));
        BLOCKS.put(Network.SIGNET, create(TIMES_2009, SATOSHI_KEY, 1598918400L, 52613770L, 0x1e0377aeL));
        BLOCKS.put(Network.REGTEST, create(TIMES_2009, SATOSHI_KEY, 1296688602L, 2L, 0x207fffffL));
    }

    private GenesisBlocks() {
    }

    /** The genesis block of {@code network} (immutable, shared). */
    public static Block of(Network network) {
        return BLOCKS.get(network);
    }

    public static Hash256 hashOf(Network network) {
        return of(network).hash();
    }

    private static Block create(String message, String outputKeyHex, long time, long nonce, long bits) {
        ByteArrayOutputStream scriptSig = new ByteArrayOutputStream();
        pushData(scriptSig, littleEndianNumber(COINBASE_PREFIX_NUMBER));
        pushData(scriptSig, new byte[] {4});
        pushData(scriptSig, message.getBytes(StandardCharsets.US_ASCII));

        ByteArrayOutputStream scriptPubKey = new ByteArrayOutputStream();
        pushData(scriptPubKey, Hex.decode(outputKeyHex));
        scriptPubKey.write(0xac); // OP_CHECKSIG

        TxIn in = new TxIn(OutPoint.NULL, scriptSig.toByteArray(), TxIn.SEQUENCE_FINAL);
        TxOut out = new TxOut(50 * COIN, scriptPubKey.toByteArray());
        Transaction coinbase = new Transaction(1, List.of(in), List.of(out), 0);
        Hash256 merkleRoot = MerkleTree.root(List.of(coinbase.txid()));
        BlockHeader header = new BlockHeader(1, Hash256.ZERO, merkleRoot, time, bits, nonce);
        return new Block(header, List.of(coinbase));
    }

    /** Minimal little-endian script number without sign handling: the only numbers here are positive. */
    private static byte[] littleEndianNumber(long v) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (v != 0) {
            b.write((int) (v & 0xff));
            v >>>= 8;
        }
        byte[] out = b.toByteArray();
        // A set top bit would read as negative: add a zero byte, as script numbers do.
        return (out[out.length - 1] & 0x80) != 0 ? java.util.Arrays.copyOf(out, out.length + 1) : out;
    }

    /** A data push as Core's CScript operator<< writes it (direct length below 76, else PUSHDATA1). */
    private static void pushData(ByteArrayOutputStream s, byte[] data) {
        if (data.length < 0x4c) {
            s.write(data.length);
        } else if (data.length <= 0xff) {
            s.write(0x4c);
            s.write(data.length);
        } else {
            throw new IllegalArgumentException("push too large for a genesis script");
        }
        s.writeBytes(data);
    }
}
