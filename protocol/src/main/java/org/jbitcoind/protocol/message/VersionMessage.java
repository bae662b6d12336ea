package org.jbitcoind.protocol.message;


import org.jbitcoind.protocol.codec.ByteReader;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.codec.DecodeException;
import org.jbitcoind.protocol.net.PeerAddress;

/** The handshake's opening message. The relay flag (BIP37) is optional on the wire; absent means true. */
public record VersionMessage(int version, long services, long timestamp, PeerAddress receiver,
        PeerAddress sender, long nonce, String userAgent, int startHeight, boolean relay) implements Message {
    public static final String COMMAND = "version";
    public static final int MAX_USER_AGENT_LENGTH = 256;

    @Override
    public String command() {
        return COMMAND;
    }

    public static VersionMessage read(ByteReader r) throws DecodeException {
        int version = r.readI32LE();
        long services = r.readI64LE();
        long timestamp = r.readI64LE();
        PeerAddress receiver = PeerAddress.readLegacyNoTime(r);
        PeerAddress sender = PeerAddress.readLegacyNoTime(r);
        long nonce = r.readI64LE();
        // BIP14 user agent: any bytes, kept exactly (see WireText).
        String ua = WireText.read(r, MAX_USER_AGENT_LENGTH, "user agent");
        int startHeight = r.readI32LE();
        boolean relay = !r.hasRemaining() || r.readU8() != 0;
        return new VersionMessage(version, services, timestamp, receiver, sender, nonce,
                ua, startHeight, relay);
    }

    @Override
    public void write(ByteWriter w) {
        w.writeI32LE(version).writeI64LE(services).writeI64LE(timestamp);
        receiver.writeLegacyNoTime(w);
        sender.writeLegacyNoTime(w);
        w.writeI64LE(nonce);
        WireText.write(w, userAgent);
        w.writeI32LE(startHeight).writeU8(relay ? 1 : 0);
    }
}
