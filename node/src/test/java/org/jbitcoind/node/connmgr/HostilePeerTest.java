package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.jbitcoind.config.Network;
import org.jbitcoind.node.peer.MessageHandler;
import org.jbitcoind.node.peer.Peer;
import org.jbitcoind.node.testing.TestNodes;
import org.jbitcoind.node.testing.Waits;
import org.jbitcoind.protocol.codec.ByteWriter;
import org.jbitcoind.protocol.crypto.Hash256;
import org.jbitcoind.protocol.message.AddrMessage;
import org.jbitcoind.protocol.message.Frames;
import org.jbitcoind.protocol.message.InvItem;
import org.jbitcoind.protocol.message.InventoryMessage;
import org.jbitcoind.protocol.message.PingMessage;
import org.jbitcoind.protocol.message.UnknownMessage;
import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.jbitcoind.testkit.RawPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Peers that send broken or rule-breaking data are disconnected (and discouraged unless local),
 * while an honest peer on the same node stays connected and keeps answering pings.
 */
class HostilePeerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAGIC = Network.REGTEST.magic();

    @TempDir
    Path dir;
    private ConnectionManager node;
    private RawPeer honest;
    private Peer honestPeer;

    /** What a hostile peer does after connecting (it may complete the handshake first). */
    interface Attack {
        void run(RawPeer p) throws Exception;
    }

    @BeforeEach
    void startNodeWithHonestPeer() throws Exception {
        startNode(false);
    }

    private void startNode(boolean discourageLocal) throws Exception {
        if (node != null) {
            closeAll();
        }
        node = new ConnectionManager(TestNodes.regtest(dir).pingInterval(Duration.ofMillis(100))
                .discourageLocal(discourageLocal).build(), () -> 0, MessageHandler.IGNORE);
        node.start();
        honest = RawPeer.connect(node.listenAddresses().get(0)).answerPings(true);
        honest.handshake();
        Waits.until(() -> node.peers().size() == 1 && node.peers().get(0).isEstablished(), WAIT, "honest peer");
        honestPeer = node.peers().get(0);
    }

    @AfterEach
    void closeAll() {
        if (honest != null) {
            honest.close();
        }
        if (node != null) {
            node.close();
        }
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of("garbage bytes", (Attack) p -> {
                    byte[] junk = new byte[200];
                    Arrays.fill(junk, (byte) 0x5a);
                    p.sendRaw(junk);
                }),
                Arguments.of("wrong magic", (Attack) p -> p.sendRaw(Frames.encode(Network.MAIN.magic(),
                        RawPeer.version(5, 0)))),
                Arguments.of("bad checksum", (Attack) p -> {
                    byte[] frame = Frames.encode(MAGIC, RawPeer.version(5, 0));
                    frame[21] ^= 0x40;
                    p.sendRaw(frame);
                }),
                Arguments.of("33 MiB length", (Attack) p -> p.sendRaw(header("block", 33 * 1024 * 1024))),
                Arguments.of("5 MB block length", (Attack) p -> p.sendRaw(header("block", 5_000_000))),
                Arguments.of("message before version", (Attack) p -> p.send(new PingMessage(1))),
                Arguments.of("second version", (Attack) p -> {
                    p.handshake();
                    p.send(RawPeer.version(77, 0));
                }),
                Arguments.of("addr with 1001 entries", (Attack) p -> {
                    p.handshake();
                    ByteWriter w = new ByteWriter().writeCompactSize(1001);
                    PeerAddress a = new PeerAddress(0, 1, NetAddress.ipv4(8, 8, 8, 8), 8333);
                    for (int i = 0; i < 1001; i++) {
                        a.writeLegacy(w);
                    }
                    p.sendRaw(frame(AddrMessage.COMMAND, w.toByteArray()));
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void hostilePeerIsDroppedHonestPeerStays(String name, Attack attack) throws Exception {
        try (RawPeer hostile = RawPeer.connect(node.listenAddresses().get(0))) {
            Waits.until(() -> node.peers().size() == 2, WAIT, "hostile peer accepted");
            Peer hostilePeer = node.peers().stream().filter(p -> p != honestPeer).findFirst().orElseThrow();
            attack.run(hostile);
            assertTrue(hostile.awaitClosed(WAIT), name + ": hostile peer disconnected");
            Waits.until(() -> node.peers().size() == 1, WAIT, "hostile peer removed");
            assertTrue(hostilePeer.disconnectReason().orElseThrow().startsWith("misbehaving"),
                    hostilePeer.disconnectReason().orElseThrow());
            assertTrue(hostilePeer.misbehaviourScore() >= Peer.DISCOURAGEMENT_THRESHOLD);
            // Local peers are disconnected, never discouraged (that would shut out every local client).
            assertFalse(node.banMan().isDiscouraged(NetAddress.ipv4(127, 0, 0, 1)));
        }
        assertHonestPeerUnaffected();
    }

    private void assertHonestPeerUnaffected() throws Exception {
        int pongs = honest.pongsSent();
        Waits.until(() -> honest.pongsSent() >= pongs + 2, WAIT, "node keeps pinging the honest peer");
        honest.sync();
        assertFalse(honest.isClosed());
        assertEquals(List.of(honestPeer), node.peers());
        assertEquals(0, honestPeer.misbehaviourScore());
    }

    @Test
    void handlerCanPunishInvalidDataAndOnlyThatPeerIsDropped() throws Exception {
        closeAll();
        MessageHandler rejectsEveryBlockAnnouncement = new MessageHandler() {
            @Override
            public void onMessage(Peer peer, org.jbitcoind.protocol.message.Message message) {
                if (message instanceof InventoryMessage) {
                    peer.misbehaving(Peer.DISCOURAGEMENT_THRESHOLD, "invalid block");
                }
            }
        };
        node = new ConnectionManager(TestNodes.regtest(dir).pingInterval(Duration.ofMillis(100)).discourageLocal(true)
                .build(), () -> 0, rejectsEveryBlockAnnouncement);
        node.start();
        honest = RawPeer.connect(node.listenAddresses().get(0)).answerPings(true);
        honest.handshake();
        Waits.until(() -> node.peers().size() == 1 && node.peers().get(0).isEstablished(), WAIT, "honest peer");
        honestPeer = node.peers().get(0);
        try (RawPeer bad = RawPeer.connect(node.listenAddresses().get(0))) {
            bad.handshake();
            bad.send(new InventoryMessage(InventoryMessage.Kind.INV,
                    List.of(new InvItem(InvItem.MSG_BLOCK, Hash256.ZERO))));
            assertTrue(bad.awaitClosed(WAIT));
        }
        assertTrue(node.banMan().isDiscouraged(NetAddress.ipv4(127, 0, 0, 1)));
        assertHonestPeerUnaffected();
    }

    @Test
    void unknownCommandsAreIgnoredNotPunished() throws Exception {
        honest.send(new UnknownMessage("futurecmd", new byte[] {1, 2, 3}));
        honest.send(new UnknownMessage("x", new byte[0]));
        honest.sync();
        assertEquals(0, honestPeer.misbehaviourScore());
        assertHonestPeerUnaffected();
    }

    @Test
    void misbehavingNonExemptPeerIsDiscouragedAndRefusedOnReconnect() throws Exception {
        startNode(true);
        try (RawPeer hostile = RawPeer.connect(node.listenAddresses().get(0))) {
            Waits.until(() -> node.peers().size() == 2, WAIT, "hostile peer accepted");
            hostile.send(new PingMessage(1));
            assertTrue(hostile.awaitClosed(WAIT));
        }
        assertTrue(node.banMan().isDiscouraged(NetAddress.ipv4(127, 0, 0, 1)));
        try (RawPeer again = RawPeer.connect(node.listenAddresses().get(0))) {
            assertTrue(again.awaitClosed(WAIT), "discouraged address refused");
        }
        // Already-connected peers are not affected by a later discouragement of their address.
        assertHonestPeerUnaffected();
    }

    private static byte[] header(String command, int length) {
        ByteWriter w = new ByteWriter();
        w.writeU8(MAGIC >>> 24).writeU8(MAGIC >>> 16).writeU8(MAGIC >>> 8).writeU8(MAGIC);
        w.writeBytes(Arrays.copyOf(command.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 12));
        return w.writeI32LE(length).writeI32LE(0).toByteArray();
    }

    private static byte[] frame(String command, byte[] payload) {
        byte[] h = header(command, payload.length);
        ByteWriter w = new ByteWriter();
        w.writeBytes(Arrays.copyOf(h, 20)).writeI32LE(Frames.checksum(payload)).writeBytes(payload);
        return w.toByteArray();
    }
}
