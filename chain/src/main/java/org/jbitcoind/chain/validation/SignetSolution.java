package org.jbitcoind.chain.validation;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.script.PrecomputedTransactionData;
import org.jbitcoind.chain.script.ScriptError;
import org.jbitcoind.chain.script.ScriptFlags;
import org.jbitcoind.chain.script.ScriptVerifier;
import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.primitives.Block;
import org.jbitcoind.protocol.primitives.MerkleTree;
import org.jbitcoind.protocol.primitives.OutPoint;
import org.jbitcoind.protocol.primitives.Transaction;
import org.jbitcoind.protocol.primitives.TxIn;
import org.jbitcoind.protocol.primitives.TxOut;

/**
 * BIP325 signet block solutions. The signer's scriptSig and witness sit in the coinbase's witness
 * commitment output, in a push starting with the signet header; they must satisfy the network's
 * challenge script in a virtual transaction that commits to the block without the solution.
 */
public final class SignetSolution {
    /** BIP325 magic that starts the solution push. */
    private static final byte[] SIGNET_HEADER = {(byte) 0xec, (byte) 0xc7, (byte) 0xda, (byte) 0xa2};
    /** The rules the challenge is checked under (fixed by BIP325, independent of the block's height). */
    public static final int SIGNET_SCRIPT_FLAGS = ScriptFlags.P2SH | ScriptFlags.WITNESS | ScriptFlags.DERSIG
            | ScriptFlags.NULLDUMMY;
    private static final int OP_PUSHDATA1 = 0x4c;
    private static final int OP_PUSHDATA2 = 0x4d;
    private static final int OP_PUSHDATA4 = 0x4e;
    private static final int OP_RETURN = 0x6a;

    /** The two virtual transactions of BIP325: one paying to the challenge, one spending it. */
    public record SignetTxs(Transaction toSpend, Transaction toSign) {
    }

    private SignetSolution() {
    }

    /** Whether {@code block} solves the network's challenge; the genesis block always does. */
    public static boolean check(Block block, ChainParams params, ScriptVerifier verifier) {
        if (block.hash().equals(params.genesisHash())) {
            return true;
        }
        Optional<SignetTxs> txs = create(block, params.signetChallenge());
        if (txs.isEmpty()) {
            return false;
        }
        PrecomputedTransactionData data = new PrecomputedTransactionData(txs.get().toSign(),
                List.of(txs.get().toSpend().outputs().get(0)));
        return verifier.verify(data, 0, SIGNET_SCRIPT_FLAGS) == ScriptError.OK;
    }

    /** Builds the virtual transactions, or empty when the block has no witness commitment or a malformed solution. */
    public static Optional<SignetTxs> create(Block block, byte[] challenge) {
        if (block.transactions().isEmpty()) {
            return Optional.empty();
        }
        Optional<Integer> commitmentIndex = block.witnessCommitmentIndex();
        if (commitmentIndex.isEmpty()) {
            return Optional.empty();
        }
        Transaction coinbase = block.transactions().get(0);
        byte[] commitmentScript = coinbase.outputs().get(commitmentIndex.get()).scriptPubKey();

        byte[] scriptSig = new byte[0];
        List<byte[]> witness = List.of();
        Extracted extracted = extractSolution(commitmentScript);
        byte[] cleanedScript = commitmentScript;
        if (extracted != null) {
            cleanedScript = extracted.cleanedScript;
            try {
                ByteReader r = new ByteReader(extracted.solution);
                scriptSig = r.readVarBytes(r.remaining(), "signet scriptSig");
                int n = r.readCount(r.remaining(), "signet witness items");
                List<byte[]> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    items.add(r.readVarBytes(r.remaining(), "signet witness item"));
                }
                if (r.hasRemaining()) {
                    return Optional.empty();
                }
                witness = items;
            } catch (DecodeException e) {
                return Optional.empty();
            }
        }
        // Without a solution push the challenge must be satisfiable by empty input (e.g. OP_TRUE).

        List<TxOut> outs = new ArrayList<>(coinbase.outputs());
        outs.set(commitmentIndex.get(), new TxOut(outs.get(commitmentIndex.get()).value(), cleanedScript));
        Transaction modifiedCoinbase = new Transaction(coinbase.version(), coinbase.inputs(), outs,
                coinbase.lockTime());
        List<Hash256> leaves = new ArrayList<>(block.transactions().size());
        leaves.add(modifiedCoinbase.txid());
        for (int i = 1; i < block.transactions().size(); i++) {
            leaves.add(block.transactions().get(i).txid());
        }
        Hash256 signetMerkle = MerkleTree.root(leaves);

        ByteWriter blockData = new ByteWriter(72);
        blockData.writeI32LE(block.header().version()).writeHash(block.header().prevBlock()).writeHash(signetMerkle)
                .writeU32LE(block.header().time());
        byte[] data = blockData.toByteArray();
        ByteArrayOutputStream toSpendSig = new ByteArrayOutputStream();
        toSpendSig.write(0x00); // OP_0
        writePush(toSpendSig, data);

        Transaction toSpend = new Transaction(0,
                List.of(new TxIn(OutPoint.NULL, toSpendSig.toByteArray(), 0)),
                List.of(new TxOut(0, challenge.clone())), 0);
        Transaction toSign = new Transaction(0,
                List.of(new TxIn(new OutPoint(toSpend.txid(), 0), scriptSig, 0, witness)),
                List.of(new TxOut(0, new byte[] {(byte) OP_RETURN})), 0);
        return Optional.of(new SignetTxs(toSpend, toSign));
    }

    private record Extracted(byte[] solution, byte[] cleanedScript) {
    }

    /**
     * Finds the first push that starts with the signet header and has data after it; returns that
     * data and the script re-serialized with the push cut down to the header (null when none).
     * Parsing stops at a malformed push, as Core's GetOp loop does.
     */
    private static Extracted extractSolution(byte[] script) {
        ByteArrayOutputStream replacement = new ByteArrayOutputStream();
        byte[] solution = null;
        int pc = 0;
        while (pc < script.length) {
            int opcode = script[pc++] & 0xff;
            byte[] push = null;
            if (opcode <= OP_PUSHDATA4) {
                int len;
                if (opcode < OP_PUSHDATA1) {
                    len = opcode;
                } else if (opcode == OP_PUSHDATA1) {
                    if (pc + 1 > script.length) {
                        break;
                    }
                    len = script[pc] & 0xff;
                    pc += 1;
                } else if (opcode == OP_PUSHDATA2) {
                    if (pc + 2 > script.length) {
                        break;
                    }
                    len = (script[pc] & 0xff) | (script[pc + 1] & 0xff) << 8;
                    pc += 2;
                } else {
                    if (pc + 4 > script.length) {
                        break;
                    }
                    long l = (script[pc] & 0xffL) | (script[pc + 1] & 0xffL) << 8 | (script[pc + 2] & 0xffL) << 16
                            | (script[pc + 3] & 0xffL) << 24;
                    if (l > script.length - pc - 4) {
                        break;
                    }
                    len = (int) l;
                    pc += 4;
                }
                if (len > script.length - pc) {
                    break;
                }
                push = Arrays.copyOfRange(script, pc, pc + len);
                pc += len;
            }
            if (push != null && push.length > 0) {
                if (solution == null && push.length > SIGNET_HEADER.length
                        && Arrays.equals(push, 0, SIGNET_HEADER.length, SIGNET_HEADER, 0, SIGNET_HEADER.length)) {
                    solution = Arrays.copyOfRange(push, SIGNET_HEADER.length, push.length);
                    push = SIGNET_HEADER.clone();
                }
                writePush(replacement, push);
            } else {
                // Opcodes and empty pushes are copied as their opcode byte alone, as Core re-serializes them.
                replacement.write(opcode);
            }
        }
        return solution == null ? null : new Extracted(solution, replacement.toByteArray());
    }

    /** A data push in the shortest of Core's CScript push forms. */
    private static void writePush(ByteArrayOutputStream s, byte[] data) {
        int n = data.length;
        if (n < OP_PUSHDATA1) {
            s.write(n);
        } else if (n <= 0xff) {
            s.write(OP_PUSHDATA1);
            s.write(n);
        } else if (n <= 0xffff) {
            s.write(OP_PUSHDATA2);
            s.write(n & 0xff);
            s.write(n >>> 8);
        } else {
            s.write(OP_PUSHDATA4);
            s.write(n & 0xff);
            s.write(n >>> 8);
            s.write(n >>> 16);
            s.write(n >>> 24);
        }
        s.writeBytes(data);
    }
}
