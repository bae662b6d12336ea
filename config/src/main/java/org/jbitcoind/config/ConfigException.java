package org.jbitcoind.config;

/**
 * A setting that stops start-up: unknown key, malformed value, conflicting choices, missing
 * file. The message is one line without the {@code "Error: "} prefix the daemon prints before it.
 */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }
}
