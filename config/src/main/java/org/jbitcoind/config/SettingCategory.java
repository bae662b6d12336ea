package org.jbitcoind.config;

/** Groups for {@code -help} and docs/configuration.md. */
public enum SettingCategory {
    GENERAL("General"),
    CHAIN("Chain selection"),
    CONNECTION("Connections"),
    RPC("RPC server"),
    STORAGE("Block and chain storage"),
    MEMPOOL("Mempool and relay"),
    DEBUG("Debugging and logging");

    private final String title;

    SettingCategory(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }
}
