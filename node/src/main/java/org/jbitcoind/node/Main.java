package org.jbitcoind.node;

import java.util.List;
import org.jbitcoind.node.daemon.Daemon;

/** Entry point of {@code jbitcoind}: runs the daemon and exits with its status. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new Daemon(System.out, System.err).run(List.of(args)));
    }
}
