package org.jbitcoind.node.connmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.jbitcoind.protocol.net.NetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BanManTest {
    private static final Duration BANTIME = Duration.ofSeconds(86400);

    @TempDir
    Path dir;

    @Test
    void bansPersistAcrossRestartAndDiscouragementDoesNot() throws Exception {
        BanMan b = BanMan.load(dir, BANTIME);
        NetAddress banned = NetAddress.parseHost("1.2.3.4");
        NetAddress v6 = NetAddress.parseHost("2001:4860::8888");
        NetAddress discouraged = NetAddress.parseHost("5.6.7.8");
        b.ban(banned, "manual");
        b.ban(v6, Duration.ofHours(1), "manual v6");
        b.discourage(discouraged);
        assertTrue(b.isBanned(banned));
        assertTrue(b.isDiscouraged(discouraged));
        assertFalse(b.isBanned(discouraged));
        b.save();

        BanMan back = BanMan.load(dir, BANTIME);
        assertTrue(back.isBanned(banned));
        assertTrue(back.isBanned(v6));
        assertFalse(back.isDiscouraged(discouraged), "discouragement is in memory only");
        BanMan.BanEntry e = back.banned().get(banned);
        long now = Instant.now().getEpochSecond();
        assertTrue(Math.abs(e.bannedUntil() - (now + 86400)) < 60, "default -bantime");
        assertEquals("manual", e.reason());
        assertEquals(2, back.banned().size());

        assertTrue(back.unban(banned));
        assertFalse(back.isBanned(banned));
        back.save();
        assertEquals(1, BanMan.load(dir, BANTIME).banned().size());
    }

    @Test
    void expiredBansAreDropped() throws Exception {
        BanMan b = BanMan.load(dir, BANTIME);
        NetAddress a = NetAddress.parseHost("1.2.3.4");
        b.ban(a, Duration.ofSeconds(-1), "already over");
        assertFalse(b.isBanned(a));
        assertTrue(b.banned().isEmpty());
    }

    @Test
    void corruptBanListIsIgnored() throws Exception {
        Files.writeString(dir.resolve(BanMan.FILE_NAME), "{ this is not json");
        BanMan b = BanMan.load(dir, BANTIME);
        assertTrue(b.banned().isEmpty());
        Files.writeString(dir.resolve(BanMan.FILE_NAME), "{\"version\":7}");
        assertTrue(BanMan.load(dir, BANTIME).banned().isEmpty());
    }

    @Test
    void discouragementIsBoundedOldestFirst() {
        BanMan b = BanMan.load(dir, BANTIME);
        NetAddress first = NetAddress.ipv4(1, 0, 0, 1);
        b.discourage(first);
        for (int i = 0; i < BanMan.MAX_DISCOURAGED; i++) {
            b.discourage(NetAddress.ipv4(2, i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff));
        }
        assertFalse(b.isDiscouraged(first), "oldest forgotten");
        assertTrue(b.isDiscouraged(NetAddress.ipv4(2, 0, 0, 5)));
    }
}
