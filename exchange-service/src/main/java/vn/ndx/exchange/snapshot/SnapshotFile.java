package vn.ndx.exchange.snapshot;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * One snapshot file: its content between a header (a magic number and the format's version) and a CRC-32C
 * of both. Written to a new file beside it and moved over it, so a reader finds the last complete snapshot
 * or none, never one half written; the CRC catches what a disk or a copy damaged. Readable by its owner
 * only: it holds who sent what to whom (never a payload).
 */
public final class SnapshotFile {

    private static final long MAGIC = 0x4e44_5853_4e41_5031L; // "NDXSNAP1"

    private final Path file;
    private final int version;

    /** @param version the content's format: a file of another version is refused, not misread */
    public SnapshotFile(Path file, int version) {
        this.file = file;
        this.version = version;
    }

    public Path path() {
        return file;
    }

    /** Writes a new snapshot in place of the last one; returns its size in bytes. */
    public long write(Consumer<SnapshotOutput> content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        createOwnerOnly(directory);
        Path next = directory.resolve(file.getFileName() + ".next");
        Files.deleteIfExists(next);
        Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        var crc = new CRC32C();
        try (OutputStream raw = Files.newOutputStream(next);
             var checked = new CheckedOutputStream(new BufferedOutputStream(raw, 1 << 16), crc);
             var data = new DataOutputStream(checked)) {
            data.writeLong(MAGIC);
            data.writeInt(version);
            content.accept(new SnapshotOutput(data));
            data.flush();
            // the CRC of everything before it, written around the checked stream
            var tail = ByteBuffer.allocate(Long.BYTES).putLong(crc.getValue()).array();
            data.write(tail);
        }
        try {
            Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(next, file, StandardCopyOption.REPLACE_EXISTING);
        }
        return Files.size(file);
    }

    /**
     * The last snapshot's content, checked whole before any of it is handed out; empty when there is none.
     *
     * @throws SnapshotInput.Damaged when it is damaged, of another format or version
     */
    public Optional<SnapshotInput> read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if (bytes.length < Long.BYTES * 2 + Integer.BYTES) {
            throw new SnapshotInput.Damaged("only " + bytes.length + " bytes");
        }
        var crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - Long.BYTES);
        var buffer = ByteBuffer.wrap(bytes);
        if (buffer.getLong(bytes.length - Long.BYTES) != crc.getValue()) {
            throw new SnapshotInput.Damaged("its checksum does not match its content");
        }
        if (buffer.getLong() != MAGIC) {
            throw new SnapshotInput.Damaged("not a snapshot");
        }
        int found = buffer.getInt();
        if (found != version) {
            throw new SnapshotInput.Damaged("version " + found + ", not " + version);
        }
        return Optional.of(new SnapshotInput(buffer.slice(buffer.position(), bytes.length - Long.BYTES - buffer.position())));
    }

    /** Throws unless every byte of the content was read: a reader that stops early read another format. */
    public static void requireEnd(SnapshotInput input) {
        if (!input.atEnd()) {
            throw new SnapshotInput.Damaged("content left over");
        }
    }

    private static void createOwnerOnly(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (FileAlreadyExistsException raced) {
                // made meanwhile: fine
            }
        }
    }
}
