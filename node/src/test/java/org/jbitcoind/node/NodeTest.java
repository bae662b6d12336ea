package org.jbitcoind.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jbitcoind.config.Settings;
import org.jbitcoind.config.SettingsLoader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeTest {
    @TempDir
    Path dir;
    private final List<String> events = new ArrayList<>();
    private Node node;

    @BeforeEach
    void newNode() throws Exception {
        Settings settings = SettingsLoader.load(List.of("-regtest", "-datadir=" + dir));
        node = new Node(settings);
    }

    private final class Recording implements NodeService {
        private final String name;
        private final boolean fails;
        private final boolean throwsOnClose;

        Recording(String name, boolean fails, boolean throwsOnClose) {
            this.name = name;
            this.fails = fails;
            this.throwsOnClose = throwsOnClose;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public void start() throws StartupException {
            events.add("start " + name);
            if (fails) {
                throw new StartupException(name + " port 18444 already in use");
            }
        }

        @Override
        public void close() {
            events.add("close " + name);
            if (throwsOnClose) {
                throw new IllegalStateException("close failed");
            }
        }
    }

    private NodeService service(String name) {
        return new Recording(name, false, false);
    }

    @Test
    void startsInOrderAndStopsInReverse() throws Exception {
        node.add(service("a")).add(service("b")).add(service("c"));
        node.start();
        assertEquals(List.of("start a", "start b", "start c"), events);
        node.stop();
        assertEquals(List.of("start a", "start b", "start c", "close c", "close b", "close a"), events);
        assertTrue(node.isShutdownRequested(), "stopping also releases whoever waits for shutdown");
    }

    @Test
    void failedStartClosesWhatStartedAndReportsTheCause() {
        node.add(service("a")).add(service("b")).add(new Recording("p2p", true, false)).add(service("d"));
        StartupException e = assertThrows(StartupException.class, node::start);
        assertEquals("p2p port 18444 already in use", e.getMessage());
        assertEquals(List.of("start a", "start b", "start p2p", "close b", "close a"), events);
    }

    @Test
    void aBugInStartIsReportedAsAStartupFailure() {
        NodeService broken = new NodeService() {
            @Override
            public String name() {
                return "broken";
            }

            @Override
            public void start() {
                throw new IllegalStateException("boom");
            }

            @Override
            public void close() {
                events.add("close broken");
            }
        };
        node.add(service("a")).add(broken);
        StartupException e = assertThrows(StartupException.class, node::start);
        assertEquals("broken failed to start: java.lang.IllegalStateException: boom", e.getMessage());
        assertEquals(List.of("start a", "close a"), events);
    }

    @Test
    void oneServiceFailingToCloseDoesNotKeepTheOthersOpen() throws Exception {
        node.add(service("a")).add(new Recording("b", false, true)).add(service("c"));
        node.start();
        node.stop();
        assertEquals(List.of("start a", "start b", "start c", "close c", "close b", "close a"), events);
    }

    @Test
    void stopIsIdempotent() throws Exception {
        node.add(service("a"));
        node.start();
        node.stop();
        node.stop();
        assertEquals(List.of("start a", "close a"), events);
    }

    @Test
    void shutdownRequestReleasesTheWaiter() throws Exception {
        node.start();
        assertFalse(node.awaitShutdownRequest(10, TimeUnit.MILLISECONDS));
        Thread requester = new Thread(node::requestShutdown);
        requester.start();
        assertTrue(node.awaitShutdownRequest(5, TimeUnit.SECONDS));
        requester.join(5_000);
        assertTrue(node.isShutdownRequested());
    }

    @Test
    void servicesAreAddedBeforeStart() throws Exception {
        node.start();
        assertThrows(IllegalStateException.class, () -> node.add(service("late")));
        assertThrows(IllegalStateException.class, node::start);
        assertEquals(dir.resolve("regtest"), node.settings().dataDir());
    }
}
