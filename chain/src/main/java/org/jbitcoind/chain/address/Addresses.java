package org.jbitcoind.chain.address;

import java.util.Arrays;
import java.util.Optional;
import org.jbitcoind.chain.script.Script;
import org.jbitcoind.chain.script.StandardScripts;
import org.jbitcoind.config.Network;

/**
 * Addresses of a network to and from output scripts (Core's EncodeDestination / DecodeDestination):
 * Base58Check P2PKH and P2SH, and segwit addresses, bech32 for version 0 (BIP173) and bech32m for
 * versions 1 to 16 (BIP350).
 */
public final class Addresses {
    private static final int MIN_PROGRAM = 2;
    private static final int MAX_PROGRAM = 40;

    private Addresses() {
    }

    /** Base58 version byte of P2PKH addresses. */
    public static int pubkeyHashPrefix(Network network) {
        return network == Network.MAIN ? 0 : 111;
    }

    /** Base58 version byte of P2SH addresses. */
    public static int scriptHashPrefix(Network network) {
        return network == Network.MAIN ? 5 : 196;
    }

    /** The address paying to {@code script}, or empty for scripts without one (P2PK, multisig, OP_RETURN, ...). */
    public static Optional<String> fromScript(byte[] script, Network network) {
        if (StandardScripts.isPayToPubkeyHash(script)) {
            return Optional.of(base58(pubkeyHashPrefix(network), Arrays.copyOfRange(script, 3, 23)));
        }
        if (Script.isPayToScriptHash(script)) {
            return Optional.of(base58(scriptHashPrefix(network), Arrays.copyOfRange(script, 2, 22)));
        }
        if (Script.isWitnessProgram(script)) {
            int version = Script.witnessVersion(script);
            byte[] program = Script.witnessProgram(script);
            if (version == 0 && program.length != 20 && program.length != 32) {
                return Optional.empty();
            }
            return Optional.of(segwit(network, version, program));
        }
        return Optional.empty();
    }

    /** The output script an address pays to. */
    public static byte[] toScript(String address, Network network) throws AddressException {
        String hrp = network.bech32Hrp();
        // Core tries bech32 first when the string starts with the network's hrp and separator.
        if (address.toLowerCase(java.util.Locale.ROOT).startsWith(hrp + "1")) {
            return segwitScript(address, network);
        }
        byte[] payload;
        try {
            payload = Base58.decodeCheck(address);
        } catch (AddressException e) {
            throw new AddressException("Invalid or unsupported Base58-encoded address.");
        }
        if (payload.length == 21) {
            int prefix = payload[0] & 0xff;
            byte[] hash = Arrays.copyOfRange(payload, 1, 21);
            if (prefix == pubkeyHashPrefix(network)) {
                return StandardScripts.payToPubkeyHash(hash);
            }
            if (prefix == scriptHashPrefix(network)) {
                return StandardScripts.payToScriptHash(hash);
            }
        }
        throw new AddressException("Invalid or unsupported Base58-encoded address.");
    }

    public static boolean isValid(String address, Network network) {
        try {
            toScript(address, network);
            return true;
        } catch (AddressException e) {
            return false;
        }
    }

    private static String base58(int prefix, byte[] hash) {
        byte[] payload = new byte[21];
        payload[0] = (byte) prefix;
        System.arraycopy(hash, 0, payload, 1, 20);
        return Base58.encodeCheck(payload);
    }

    private static String segwit(Network network, int version, byte[] program) {
        byte[] values;
        try {
            byte[] five = Bech32.convertBits(program, 8, 5, true);
            values = new byte[five.length + 1];
            values[0] = (byte) version;
            System.arraycopy(five, 0, values, 1, five.length);
        } catch (AddressException e) {
            throw new IllegalStateException(e); // 8-bit input always converts
        }
        return Bech32.encode(network.bech32Hrp(), values,
                version == 0 ? Bech32.Encoding.BECH32 : Bech32.Encoding.BECH32M);
    }

    private static byte[] segwitScript(String address, Network network) throws AddressException {
        Bech32.Decoded d = Bech32.decode(address);
        if (!d.hrp().equals(network.bech32Hrp())) {
            throw new AddressException("Invalid or unsupported prefix for Segwit (Bech32) address");
        }
        if (d.values().length == 0) {
            throw new AddressException("Empty Bech32 data section");
        }
        int version = d.values()[0];
        if (version > 16) {
            throw new AddressException("Invalid Bech32 address witness version");
        }
        if (version == 0 && d.encoding() != Bech32.Encoding.BECH32) {
            throw new AddressException("Version 0 witness address must use Bech32 checksum");
        }
        if (version != 0 && d.encoding() != Bech32.Encoding.BECH32M) {
            throw new AddressException("Version 1+ witness address must use Bech32m checksum");
        }
        byte[] program = Bech32.convertBits(Arrays.copyOfRange(d.values(), 1, d.values().length), 5, 8, false);
        if (program.length < MIN_PROGRAM || program.length > MAX_PROGRAM) {
            throw new AddressException("Invalid Bech32 address program size (" + program.length + " bytes)");
        }
        if (version == 0 && program.length != 20 && program.length != 32) {
            throw new AddressException("Invalid Bech32 v0 address program size (" + program.length
                    + " bytes), per BIP141");
        }
        return StandardScripts.witnessProgram(version, program);
    }
}
