package org.jbitcoind.node.daemon;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT ask the node to shut down instead of ending the JVM at once. Handling them
 * ourselves (rather than relying on shutdown hooks) lets the daemon finish its orderly shutdown
 * and exit with status 0, as bitcoind does; a hook-driven exit would report 143 or 130.
 * {@code sun.misc.Signal} lives in the jdk.unsupported module, which JEP 260 keeps available for
 * exactly this; javac warns about it and cannot be told not to.
 */
final class ShutdownSignals {
    private ShutdownSignals() {
    }

    static void install(Runnable requestShutdown) {
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> requestShutdown.run());
        }
    }
}
