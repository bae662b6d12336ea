package org.jbitcoind.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The settings a program accepts, in help order. Anything not registered is an error. */
public final class SettingsRegistry {
    private final Map<String, SettingDef> byName;

    private SettingsRegistry(Map<String, SettingDef> byName) {
        this.byName = byName;
    }

    /** Every setting of the daemon, jbitcoind. */
    public static SettingsRegistry daemon() {
        return of(DaemonSettings.all());
    }

    public static SettingsRegistry of(Collection<SettingDef> defs) {
        Map<String, SettingDef> map = new LinkedHashMap<>();
        for (SettingDef def : defs) {
            if (map.put(def.name(), def) != null) {
                throw new IllegalArgumentException("setting registered twice: " + def.name());
            }
        }
        return new SettingsRegistry(map);
    }

    /** This registry plus more settings (e.g. a client tool's own keys). */
    public SettingsRegistry with(SettingDef... more) {
        List<SettingDef> all = new ArrayList<>(byName.values());
        all.addAll(List.of(more));
        return of(all);
    }

    public Optional<SettingDef> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The definition of a setting the caller knows exists; a programming error otherwise. */
    public SettingDef require(String name) {
        SettingDef def = byName.get(name);
        if (def == null) {
            throw new IllegalArgumentException("no setting named " + name);
        }
        return def;
    }

    public Collection<SettingDef> all() {
        return byName.values();
    }
}
