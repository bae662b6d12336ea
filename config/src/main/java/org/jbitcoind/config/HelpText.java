package org.jbitcoind.config;

import java.util.ArrayList;
import java.util.List;

/** The {@code -help} text: every registered setting with its default, one line each, by category. */
public final class HelpText {
    private static final int KEY_COLUMN = 30;

    private HelpText() {
    }

    public static String render(String usage, SettingsRegistry registry) {
        StringBuilder out = new StringBuilder(usage).append("\n");
        for (SettingCategory category : SettingCategory.values()) {
            List<SettingDef> defs = new ArrayList<>();
            for (SettingDef def : registry.all()) {
                if (def.category() == category) {
                    defs.add(def);
                }
            }
            if (defs.isEmpty()) {
                continue;
            }
            out.append("\n").append(category.title()).append(":\n");
            for (SettingDef def : defs) {
                out.append(line(def)).append("\n");
            }
        }
        return out.toString();
    }

    static String line(SettingDef def) {
        String key = "  -" + def.name() + placeholder(def);
        String pad = key.length() < KEY_COLUMN ? " ".repeat(KEY_COLUMN - key.length()) : " ";
        return key + pad + def.help() + " (default: " + def.shownDefault() + ")";
    }

    private static String placeholder(SettingDef def) {
        return switch (def.type()) {
            case BOOL -> "";
            case INT -> "=<n>";
            case AMOUNT -> "=<btc>";
            case PATH -> "=<path>";
            case STRING -> def.choices().isEmpty() ? "=<text>" : "=<" + String.join("|", def.sortedChoices()) + ">";
            case LIST -> def.choices().isEmpty() ? "=<value>" : "=<" + String.join("|", def.sortedChoices()) + ">";
        };
    }
}
