package dev.clusterconnect.sandbox.pod;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Minimal POSIX ustar reading and writing, for the fake {@code tar} that {@code kubectl cp} runs in
 * the pod. Reads what Go's {@code archive/tar} writes: ustar, PAX path records and GNU long names.
 */
public final class Tar {

    private static final int BLOCK = 512;

    private Tar() {}

    /** Receives each regular file or directory read from an archive. */
    @FunctionalInterface
    public interface EntryHandler {
        /** {@code content} is {@code null} for a directory. */
        void entry(String name, byte[] content) throws IOException;
    }

    /** Writes one entry; directory names should end with {@code /}, content {@code null}. */
    public static void writeEntry(OutputStream out, String name, byte[] content) throws IOException {
        boolean directory = content == null;
        byte[] header = new byte[BLOCK];
        String prefix = "";
        String shortName = name;
        if (name.length() > 100) {
            int split = name.lastIndexOf('/', name.length() - 2);
            prefix = name.substring(0, split);
            shortName = name.substring(split + 1);
        }
        put(header, 0, 100, shortName);
        put(header, 100, 8, octal(directory ? 0755 : 0644, 7));
        put(header, 108, 8, octal(0, 7));
        put(header, 116, 8, octal(0, 7));
        put(header, 124, 12, octal(directory ? 0 : content.length, 11));
        put(header, 136, 12, octal(System.currentTimeMillis() / 1000, 11));
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = (byte) (directory ? '5' : '0');
        put(header, 257, 6, "ustar");
        put(header, 263, 2, "00");
        put(header, 265, 32, "root");
        put(header, 297, 32, "root");
        put(header, 345, 155, prefix);
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, 8, octal(sum, 6) + "\0 ");
        out.write(header);
        if (!directory) {
            out.write(content);
            out.write(new byte[padding(content.length)]);
        }
    }

    /** Writes the two zero blocks that end an archive. */
    public static void finish(OutputStream out) throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    /** Reads an archive to its end, handing each file and directory on. */
    public static void read(InputStream in, EntryHandler handler) throws IOException {
        String longName = null;
        byte[] header = new byte[BLOCK];
        while (readBlock(in, header)) {
            if (isZero(header)) {
                return;
            }
            long size = size(header);
            byte[] data = in.readNBytes((int) size);
            if (data.length < size) {
                throw new EOFException("truncated tar entry");
            }
            in.readNBytes(padding(size));
            char type = (char) header[156];
            switch (type) {
                case 'x' -> longName = paxPath(data, longName);
                case 'L' -> longName = new String(data, StandardCharsets.UTF_8).replace("\0", "");
                case '0', '\0', '5' -> {
                    String name = longName != null ? longName : name(header);
                    longName = null;
                    handler.entry(name, type == '5' || name.endsWith("/") ? null : data);
                }
                default -> longName = null;
            }
        }
    }

    private static boolean readBlock(InputStream in, byte[] block) throws IOException {
        int read = in.readNBytes(block, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read < BLOCK) {
            throw new EOFException("truncated tar header");
        }
        return true;
    }

    private static String name(byte[] header) {
        String name = text(header, 0, 100);
        String prefix =
                new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar") ? text(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static long size(byte[] header) {
        if ((header[124] & 0x80) != 0) {
            long size = 0;
            for (int i = 125; i < 136; i++) {
                size = (size << 8) | (header[i] & 0xff);
            }
            return size;
        }
        String octal = text(header, 124, 12).trim();
        return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
    }

    /** PAX records are {@code "<len> key=value\n"}; only {@code path} matters here. */
    private static String paxPath(byte[] data, String fallback) {
        for (String record : new String(data, StandardCharsets.UTF_8).split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith("path=", space + 1)) {
                return record.substring(space + 1 + "path=".length());
            }
        }
        return fallback;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static void put(byte[] header, int offset, int length, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, header, offset, Math.min(length, bytes.length));
    }

    private static String octal(long value, int digits) {
        String text = Long.toOctalString(value);
        return "0".repeat(Math.max(0, digits - text.length())) + text;
    }

    private static int padding(long size) {
        return (int) ((BLOCK - size % BLOCK) % BLOCK);
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
