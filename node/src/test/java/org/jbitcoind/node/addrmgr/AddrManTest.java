package org.jbitcoind.node.addrmgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import org.jbitcoind.protocol.net.NetAddress;
import org.jbitcoind.protocol.net.PeerAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AddrManTest {
    private static final long NOW = 1_700_000_000L;
    private static final NetAddress SOURCE = NetAddress.ipv4(200, 1, 2, 3);

    @TempDir
    Path dir;

    private static AddrMan newAddrMan(int seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return new AddrMan(key, new Random(seed));
    }

    private static PeerAddress addr(int a, int b, int c, int d) {
        return new PeerAddress(NOW - 100, 9, NetAddress.ipv4(a, b, c, d), 8333);
    }

    @Test
    void unroutableAddressesAreNotStored() {
        AddrMan m = newAddrMan(1);
        List<PeerAddress> bad = List.of(addr(127, 0, 0, 1), addr(10, 1, 2, 3), addr(192, 168, 0, 1),
                addr(172, 16, 5, 5), addr(169, 254, 1, 1), addr(0, 1, 2, 3), addr(224, 0, 0, 1),
                addr(203, 0, 113, 7), new PeerAddress(NOW, 1, NetAddress.parseHost("fe80::1"), 8333),
                new PeerAddress(NOW, 1, NetAddress.parseHost("::1"), 8333), new PeerAddress(NOW, 1, NetAddress.ipv4(1, 2, 3, 4), 0));
        assertEquals(0, m.add(bad, SOURCE, NOW));
        assertEquals(0, m.size());
        assertEquals(1, m.add(List.of(addr(1, 2, 3, 4)), SOURCE, NOW));
        assertEquals(0, m.add(List.of(addr(1, 2, 3, 4)), SOURCE, NOW), "duplicate is not new");
        assertEquals(1, m.size());
    }

    @Test
    void oneSourceGroupAndOneAddressGroupShareASingleNewBucket() {
        AddrMan m = newAddrMan(2);
        List<PeerAddress> sameGroup = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            sameGroup.add(addr(1, 2, i / 250, 1 + i % 250));
        }
        int added = m.add(sameGroup, SOURCE, NOW);
        assertTrue(added <= AddrMan.BUCKET_SIZE, "at most one bucket's worth: " + added);
        assertTrue(added > 10, "bucket mostly filled: " + added);
        Set<Integer> buckets = new HashSet<>();
        for (PeerAddress a : sameGroup) {
            buckets.add(m.newBucket(a.address(), SOURCE));
        }
        assertEquals(1, buckets.size());
    }

    @Test
    void oneSourceReachesAtMost64NewBuckets() {
        AddrMan m = newAddrMan(3);
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            buckets.add(m.newBucket(NetAddress.ipv4(1 + i % 200, i / 200, 0, 1), SOURCE));
        }
        assertTrue(buckets.size() <= AddrMan.NEW_BUCKETS_PER_SOURCE_GROUP, "buckets: " + buckets.size());
        assertTrue(buckets.size() > 32, "spread over many buckets: " + buckets.size());
        Set<Integer> manySources = new HashSet<>();
        for (int i = 0; i < 5000; i++) {
            manySources.add(m.newBucket(NetAddress.ipv4(1, 2, 3, 4), NetAddress.ipv4(1 + i % 200, i / 200, 0, 1)));
        }
        assertTrue(manySources.size() > AddrMan.NEW_BUCKETS_PER_SOURCE_GROUP, "other sources use other buckets");
    }

    @Test
    void oneAddressGroupReachesAtMost8TriedBuckets() {
        AddrMan m = newAddrMan(4);
        Set<Integer> buckets = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            buckets.add(m.triedBucket(addr(1, 2, i / 250, 1 + i % 250)));
        }
        assertTrue(buckets.size() <= AddrMan.TRIED_BUCKETS_PER_GROUP, "buckets: " + buckets.size());
        assertTrue(buckets.size() >= 4, "buckets: " + buckets.size());
    }

    @Test
    void bucketsDependOnTheSecretKey() {
        AddrMan a = newAddrMan(5);
        AddrMan b = newAddrMan(6);
        int differ = 0;
        for (int i = 0; i < 50; i++) {
            NetAddress x = NetAddress.ipv4(1 + i, 7, 7, 7);
            if (a.newBucket(x, SOURCE) != b.newBucket(x, SOURCE)) {
                differ++;
            }
        }
        assertTrue(differ > 40, "different keys place addresses differently: " + differ);
    }

    @Test
    void goodMovesAnAddressToTriedAndSelectFindsBothTables() {
        AddrMan m = newAddrMan(7);
        PeerAddress x = addr(8, 8, 4, 4);
        PeerAddress y = addr(9, 9, 9, 9);
        m.add(List.of(x, y), SOURCE, NOW);
        assertEquals(2, m.newCount());
        m.attempt(x, NOW);
        m.good(x, NOW);
        assertTrue(m.isTried(x));
        assertFalse(m.isTried(y));
        assertEquals(1, m.newCount());
        assertEquals(1, m.triedCount());
        assertEquals(Optional.of(y.address()), m.select(true, a -> true, NOW).map(PeerAddress::address));
        Set<NetAddress> picked = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            m.select(false, a -> true, NOW + 3600).ifPresent(p -> picked.add(p.address()));
        }
        assertEquals(Set.of(x.address(), y.address()), picked);
        assertEquals(Optional.empty(), m.select(false, a -> false, NOW));
    }

    @Test
    void getAddressesReturnsAtMost23PercentAndSkipsTerribleEntries() {
        AddrMan m = newAddrMan(8);
        List<PeerAddress> list = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            list.add(addr(11 + i, 1, 1, 1));
        }
        m.add(list, SOURCE, NOW);
        int n = m.size();
        assertEquals(n * 23 / 100, m.getAddresses(1000, 23, a -> true, NOW).size());
        assertEquals(5, m.getAddresses(5, 23, a -> true, NOW).size());
        // 31 days later every entry is terrible (not seen in 30 days)
        assertEquals(0, m.getAddresses(1000, 23, a -> true, NOW + 31 * 86400).size());
    }

    @Test
    void survivesSaveAndLoadWithTablesAndKey() throws Exception {
        AddrMan m = newAddrMan(9);
        List<PeerAddress> list = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            list.add(addr(1 + i % 200, 3 + i / 200, 5, 6));
        }
        list.add(new PeerAddress(NOW, 9, NetAddress.parseHost("2001:4860::8888"), 18333));
        m.add(list, SOURCE, NOW);
        PeerAddress good = list.get(10);
        m.good(good, NOW);
        Path file = dir.resolve(AddrManStore.FILE_NAME);
        AddrManStore.save(m, file);

        AddrMan back = AddrManStore.load(file);
        assertEquals(m.size(), back.size());
        assertEquals(m.triedCount(), back.triedCount());
        assertTrue(back.isTried(good));
        for (PeerAddress a : list) {
            assertEquals(m.contains(a), back.contains(a), a.toHostPort());
            assertEquals(m.newBucket(a.address(), SOURCE), back.newBucket(a.address(), SOURCE), "same key");
        }
    }

    @Test
    void corruptTruncatedOrForeignFilesStartEmpty() throws Exception {
        AddrMan m = newAddrMan(10);
        m.add(List.of(addr(1, 2, 3, 4), addr(5, 6, 7, 8)), SOURCE, NOW);
        Path file = dir.resolve(AddrManStore.FILE_NAME);
        AddrManStore.save(m, file);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[50] ^= 1;
        Files.write(file, flipped);
        assertEquals(0, AddrManStore.load(file).size());
        assertTrue(Files.exists(dir.resolve(AddrManStore.FILE_NAME + ".bad")), "corrupt file kept aside");

        Files.write(file, java.util.Arrays.copyOf(good, good.length / 2));
        assertEquals(0, AddrManStore.load(file).size());

        Files.write(file, "not an address file at all, but long enough to be checked".getBytes());
        assertEquals(0, AddrManStore.load(file).size());

        Files.deleteIfExists(file);
        assertEquals(0, AddrManStore.load(file).size(), "missing file");

        Files.write(file, good);
        assertEquals(2, AddrManStore.load(file).size(), "the intact file still loads");
    }
}
