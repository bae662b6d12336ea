package org.jbitcoind.node.connmgr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jbitcoind.protocol.net.NetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Bans and discouragement, as Core separates them. Discouragement is automatic for misbehaviour:
 * in memory only, bounded (oldest forgotten first, like Core's rolling filter), and it only makes
 * us refuse the address's inbound connections and not dial it. Bans are set by the operator
 * (setban) for {@code -bantime} or a given duration, persisted in {@code banlist.json}, and expire.
 */
public final class BanMan {
    public static final String FILE_NAME = "banlist.json";
    /** Core's rolling filter holds 50,000 entries. */
    static final int MAX_DISCOURAGED = 50_000;
    private static final Logger LOG = LoggerFactory.getLogger(BanMan.class);

    /**
     * Jackson, made at the first read or save of the ban list: creating the first mapper of the
     * process loads classes for a tenth of a second, which a start-up without a ban list (and an
     * import or initial sync running meanwhile) need not pay.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /** A ban: when it was set, when it ends (Unix seconds), and why. */
    public record BanEntry(long created, long bannedUntil, String reason) {
    }

    private final Path file;
    private final Duration defaultBanTime;
    private final Set<NetAddress> discouraged = new LinkedHashSet<>();
    private final Map<String, BanEntry> banned = new TreeMap<>();
    private final Map<String, NetAddress> bannedAddresses = new TreeMap<>();

    private BanMan(Path file, Duration defaultBanTime) {
        this.file = file;
        this.defaultBanTime = defaultBanTime;
    }

    /** Loads {@code banlist.json} from {@code dir}; a missing file is empty, an unreadable one is logged and ignored. */
    public static BanMan load(Path dir, Duration defaultBanTime) {
        BanMan b = new BanMan(dir.resolve(FILE_NAME), defaultBanTime);
        if (Files.exists(b.file)) {
            try {
                b.read();
                LOG.info("loaded {} bans from {}", b.banned.size(), b.file);
            } catch (IOException | RuntimeException e) {
                LOG.warn("ban list {} is unusable ({}); starting with no bans", b.file, e.getMessage());
                b.banned.clear();
                b.bannedAddresses.clear();
            }
        }
        return b;
    }

    public synchronized void discourage(NetAddress a) {
        discouraged.remove(a);
        discouraged.add(a);
        if (discouraged.size() > MAX_DISCOURAGED) {
            Iterator<NetAddress> it = discouraged.iterator();
            it.next();
            it.remove();
        }
    }

    public synchronized boolean isDiscouraged(NetAddress a) {
        return discouraged.contains(a);
    }

    public synchronized void clearDiscouraged() {
        discouraged.clear();
    }

    /** Bans for {@code -bantime}. */
    public void ban(NetAddress a, String reason) {
        ban(a, defaultBanTime, reason);
    }

    public synchronized void ban(NetAddress a, Duration duration, String reason) {
        long now = Instant.now().getEpochSecond();
        banned.put(a.toHostString(), new BanEntry(now, now + duration.toSeconds(), reason));
        bannedAddresses.put(a.toHostString(), a);
    }

    public synchronized boolean unban(NetAddress a) {
        bannedAddresses.remove(a.toHostString());
        return banned.remove(a.toHostString()) != null;
    }

    public synchronized boolean isBanned(NetAddress a) {
        BanEntry e = banned.get(a.toHostString());
        return e != null && e.bannedUntil() > Instant.now().getEpochSecond();
    }

    /** Current bans by address, expired ones dropped. */
    public synchronized Map<NetAddress, BanEntry> banned() {
        sweep();
        Map<NetAddress, BanEntry> out = new java.util.LinkedHashMap<>();
        banned.forEach((k, v) -> out.put(bannedAddresses.get(k), v));
        return out;
    }

    public synchronized void clearBanned() {
        banned.clear();
        bannedAddresses.clear();
    }

    private void sweep() {
        long now = Instant.now().getEpochSecond();
        banned.entrySet().removeIf(e -> {
            boolean expired = e.getValue().bannedUntil() <= now;
            if (expired) {
                bannedAddresses.remove(e.getKey());
            }
            return expired;
        });
    }

    /** Writes {@code banlist.json} atomically. */
    public synchronized void save() throws IOException {
        sweep();
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("version", 1);
        ArrayNode list = root.putArray("banned");
        banned.forEach((host, e) -> list.addObject().put("address", host).put("created", e.created())
                .put("banned_until", e.bannedUntil()).put("reason", e.reason()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), root);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void read() throws IOException {
        JsonNode root = Json.MAPPER.readTree(file.toFile());
        if (root == null || root.path("version").asInt() != 1 || !root.path("banned").isArray()) {
            throw new IOException("not a version 1 ban list");
        }
        long now = Instant.now().getEpochSecond();
        for (JsonNode n : root.get("banned")) {
            NetAddress a = NetAddress.parseHost(n.path("address").asText());
            BanEntry e = new BanEntry(n.path("created").asLong(), n.path("banned_until").asLong(),
                    n.path("reason").asText(""));
            if (e.bannedUntil() > now) {
                banned.put(a.toHostString(), e);
                bannedAddresses.put(a.toHostString(), a);
            }
        }
    }
}
