package org.jbitcoind.node.daemon;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Configures Logback in code, so the jar needs no logback.xml: INFO for operators, DEBUG for the
 * loggers -debug names, to the console and/or the rotating debug.log.
 */
public final class LogSetup {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSS'Z',UTC} %-5level [%thread] %logger{0}: %msg%n";
    /** debug.log rolls over at this size into debug.log.1 ... debug.log.5. */
    static final String MAX_FILE_SIZE = "50MB";
    static final int KEEP_FILES = 5;
    private static final String FILE_APPENDER = "debuglog";
    /**
     * Marks a line the console should skip because the daemon already printed it there in
     * another form (the one-line {@code Error: ...} on standard error).
     */
    public static final Marker FILE_ONLY = MarkerFactory.getMarker("FILE_ONLY");

    private LogSetup() {
    }

    private static LoggerContext context() {
        return (LoggerContext) LoggerFactory.getILoggerFactory();
    }

    /** Replaces any earlier configuration: root at INFO, DEBUG for the given loggers, console if asked. */
    public static void configure(boolean console, Set<String> debugLoggers) {
        LoggerContext ctx = context();
        ctx.reset();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        for (String name : debugLoggers) {
            ctx.getLogger(name).setLevel(Level.DEBUG);
        }
        if (console) {
            ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
            appender.setContext(ctx);
            appender.setName("console");
            appender.setEncoder(encoder(ctx));
            appender.addFilter(new SkipFileOnly());
            appender.start();
            root.addAppender(appender);
        }
    }

    /**
     * Adds the rotating log file; returns false when it could not be opened (Logback reports
     * that as status, not as an exception).
     */
    static boolean addFile(Path file) {
        LoggerContext ctx = context();
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(ctx);
        appender.setName(FILE_APPENDER);
        appender.setFile(file.toString());

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(KEEP_FILES);
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(FileSize.valueOf(MAX_FILE_SIZE));
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(encoder(ctx));
        appender.start();
        if (!appender.isStarted()) {
            return false;
        }
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(appender);
        return true;
    }

    /**
     * Turns DEBUG on or off for a Core-named category (RPC {@code logging}); categories without
     * loggers of their own here (e.g. "bench") change nothing.
     */
    public static void setDebugCategory(String category, boolean on) {
        Set<String> loggers;
        try {
            loggers = LogCategories.loggers(List.of(category));
        } catch (org.jbitcoind.config.ConfigException e) {
            return;
        }
        LoggerContext ctx = context();
        for (String name : loggers) {
            ctx.getLogger(name).setLevel(on ? Level.DEBUG : null);
        }
    }

    /** Flushes and closes every appender; call last. */
    public static void shutdown() {
        context().stop();
    }

    private static PatternLayoutEncoder encoder(LoggerContext ctx) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(ctx);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }

    private static final class SkipFileOnly extends ch.qos.logback.core.filter.Filter<ILoggingEvent> {
        @Override
        public ch.qos.logback.core.spi.FilterReply decide(ILoggingEvent event) {
            List<Marker> markers = event.getMarkerList();
            return markers != null && markers.contains(FILE_ONLY)
                    ? ch.qos.logback.core.spi.FilterReply.DENY : ch.qos.logback.core.spi.FilterReply.NEUTRAL;
        }
    }
}
