package org.jbitcoind.node.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jbitcoind.config.Network;
import org.jbitcoind.testkit.DaemonProcess;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The daemon processes of one test, all started with the same JVM options and settings; register
 * it as a field with {@code @RegisterExtension} and every daemon the test left running is killed
 * after it.
 */
public final class DaemonProcesses implements AfterEachCallback, AutoCloseable {
    private final Network network;
    private final List<String> jvmOptions;
    private final List<String> settings;
    private final List<DaemonProcess> started = new ArrayList<>();

    /** Regtest daemons. */
    public DaemonProcesses(List<String> jvmOptions, List<String> settings) {
        this(Network.REGTEST, jvmOptions, settings);
    }

    public DaemonProcesses(Network network, List<String> jvmOptions, List<String> settings) {
        this.network = network;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.settings = List.copyOf(settings);
    }

    /** Daemons in a 256 MiB heap that listen for P2P on 127.0.0.1 and keep a 16 MiB UTXO cache. */
    public static DaemonProcesses listeningOnLoopback() {
        List<String> settings = new ArrayList<>(DaemonProcess.LISTEN_ON_LOOPBACK);
        settings.add("-dbcache=16");
        return new DaemonProcesses(List.of("-Xmx256m"), settings);
    }

    /** Starts a daemon on {@code datadir} with these settings and {@code extra} ones, without waiting for it. */
    public DaemonProcess launch(Path datadir, String... extra) throws Exception {
        List<String> all = new ArrayList<>(settings);
        all.addAll(List.of(extra));
        DaemonProcess d = DaemonProcess.launch(datadir, network, jvmOptions, all);
        synchronized (started) {
            started.add(d);
        }
        return d;
    }

    /** {@link #launch} and wait until it has started. */
    public DaemonProcess start(Path datadir, String... extra) throws Exception {
        return launch(datadir, extra).awaitStarted();
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        close();
    }

    /** Kills every daemon still running. */
    @Override
    public void close() throws InterruptedException {
        synchronized (started) {
            for (DaemonProcess d : started) {
                d.close();
            }
            started.clear();
        }
    }
}
