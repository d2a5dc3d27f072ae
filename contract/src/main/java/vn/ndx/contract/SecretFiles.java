package vn.ndx.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Keys and secrets on disk, as every service keeps them: created owner-only in one step (the file never
 * exists with wider permissions, not even for an instant, so nothing is chmod-ed after writing), and
 * refused when others may read it or anyone but its owner may change it, as a key someone else may have
 * read or replaced is no key. Its group may read it: a Kubernetes secret volume is readable only through
 * the pod's own {@code fsGroup}, which the kubelet adds as group-read.
 */
public final class SecretFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private SecretFiles() {
    }

    /** The file's bytes, once its permissions show that only its owner may read or change it. */
    public static byte[] read(Path file) {
        requireOwnerOnly(file);
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the secret file " + file, e);
        }
    }

    /**
     * Writes the file owner-only, atomically: a temporary file created with owner-only permissions in the
     * same directory, then moved into place. An existing file is replaced only when {@code replace}.
     */
    public static void write(Path file, byte[] content, boolean replace) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, ownerOnly(dir, OWNER_ONLY_DIRECTORY));
            }
            Path temporary = Files.createTempFile(dir, ".secret", ".tmp", ownerOnly(dir, OWNER_ONLY));
            try {
                Files.write(temporary, content);
                if (replace) {
                    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    // a hard link fails if the name exists: two starting instances never overwrite each other's key
                    Files.createLink(file, temporary);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("The secret file " + file + " appeared meanwhile; read it instead", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the secret file " + file, e);
        }
    }

    /** Refuses a secret file that others may read or write, or its group may write. */
    public static void requireOwnerOnly(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException("The secret file " + file + " does not exist");
            }
            if (!posix(file)) {
                return;
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            var wider = EnumSet.noneOf(PosixFilePermission.class);
            wider.addAll(permissions);
            wider.removeAll(OWNER_ONLY_DIRECTORY);
            wider.remove(PosixFilePermission.GROUP_READ);
            if (!wider.isEmpty()) {
                throw new IllegalStateException("The secret file " + file + " is open to others ("
                        + PosixFilePermissions.toString(permissions) + "): make it owner-only (chmod 600) or create a new one");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the permissions of " + file, e);
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path near, Set<PosixFilePermission> permissions) {
        return posix(near) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }

    private static boolean posix(Path path) {
        return Files.getFileAttributeView(path.toAbsolutePath().getRoot(), PosixFileAttributeView.class) != null;
    }
}
