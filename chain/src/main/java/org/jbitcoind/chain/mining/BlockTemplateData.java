package org.jbitcoind.chain.mining;

import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.chain.params.ChainParams;
import org.jbitcoind.chain.validation.Consensus;
import org.jbitcoind.protocol.codec.Hex;
import org.jbitcoind.protocol.crypto.Hash256;

/**
 * The fields of a getblocktemplate reply (BIP22, BIP23, BIP9 rules and the BIP141 additions) as
 * plain values; the RPC layer renders them as JSON under these names. Hex strings and numbers are
 * already in the form Core prints.
 */
public record BlockTemplateData(List<String> capabilities, int version, List<String> rules, long vbrequired,
        String previousblockhash, List<Tx> transactions, long coinbasevalue, String longpollid, String target,
        long mintime, List<String> mutable, String noncerange, long sigoplimit, long sizelimit, long weightlimit,
        long curtime, String bits, int height, String defaultWitnessCommitment, String signetChallenge) {

    /** One entry of "transactions"; {@code depends} are 1-based positions in this list. */
    public record Tx(String data, String txid, String hash, List<Integer> depends, long fee, long sigops,
            int weight) {
    }

    /** Core's rules for a chain where CSV, segwit and taproot are active ('!' = client must understand). */
    public static final List<String> RULES = List.of("csv", "!segwit", "taproot");
    public static final List<String> MUTABLE = List.of("time", "transactions", "prevblock");
    public static final String NONCE_RANGE = "00000000ffffffff";

    /**
     * The reply for {@code template}; {@code mempoolSequence} goes into the longpoll id so that a
     * longpoll returns when the tip or the mempool changed.
     */
    public static BlockTemplateData of(BlockTemplate template, ChainParams params, long mempoolSequence) {
        List<Tx> txs = new ArrayList<>(template.entries().size());
        for (BlockTemplate.Entry e : template.entries()) {
            txs.add(new Tx(Hex.encode(e.tx().serialize()), e.tx().txid().toString(), e.tx().wtxid().toString(),
                    e.depends(), e.fee(), e.sigOpCost(), e.weight()));
        }
        var header = template.block().header();
        String target = String.format("%064x", template.target());
        String signet = params.signetBlocks() ? Hex.encode(params.signetChallenge()) : null;
        return new BlockTemplateData(List.of("proposal"), header.version(), RULES, 0, header.prevBlock().toString(),
                txs, template.coinbaseValue(), longPollId(header.prevBlock(), mempoolSequence), target,
                template.minTime(), MUTABLE, NONCE_RANGE, Consensus.MAX_BLOCK_SIGOPS_COST,
                Consensus.MAX_BLOCK_SERIALIZED_SIZE, Consensus.MAX_BLOCK_WEIGHT, header.time(),
                String.format("%08x", header.bits()), template.height(), Hex.encode(template.witnessCommitment()),
                signet);
    }

    /** Core's longpollid: the tip hash followed by the mempool's change counter. */
    public static String longPollId(Hash256 tip, long mempoolSequence) {
        return tip.toString() + mempoolSequence;
    }

    /** Whether a client's longpollid is out of date for this tip and mempool (so a longpoll should return). */
    public static boolean isStale(String longPollId, Hash256 tip, long mempoolSequence) {
        return !longPollId(tip, mempoolSequence).equals(longPollId);
    }
}
