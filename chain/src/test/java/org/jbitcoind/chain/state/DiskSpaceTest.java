package org.jbitcoind.chain.state;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jbitcoind.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskSpaceTest {
    @TempDir
    Path dir;

    @Test
    void rocksDbOutOfSpaceErrorsBecomeTheClearMessageNamingTheFolder() {
        StorageException io = new StorageException("write failed: While appending to file: " + dir
                + "/000012.log: No space left on device");
        ChainstateFailure raw = new ChainstateFailure(io.getMessage(), io);
        assertTrue(DiskSpace.isOutOfSpace(raw));
        ChainstateFailure clear = DiskSpace.describe(raw, dir);
        assertTrue(clear.getMessage().startsWith(DiskSpace.TOO_LOW), clear.getMessage());
        assertTrue(clear.getMessage().contains(dir.toString()), clear.getMessage());
    }

    @Test
    void otherFailuresAreLeftAsTheyAre() {
        ChainstateFailure corrupt = new ChainstateFailure("stored block 00ab is corrupt: truncated");
        assertFalse(DiskSpace.isOutOfSpace(corrupt));
        assertSame(corrupt, DiskSpace.describe(corrupt, dir));
    }

    @Test
    void theCheckPassesWithRoomAndFailsWhenAWriteWouldEatIntoTheReserve() {
        long free = dir.toFile().getUsableSpace();
        DiskSpace.check(dir, 0);
        ChainstateFailure f = assertThrows(ChainstateFailure.class, () -> DiskSpace.check(dir, free));
        assertTrue(f.getMessage().startsWith(DiskSpace.TOO_LOW) && f.getMessage().contains(dir.toString()),
                f.getMessage());
        assertTrue(DiskSpace.isOutOfSpace(f));
    }
}
