/**
 * The handover image: a versioned, checksummed, little-endian binary that carries the sessions,
 * files and FLBs from a process to its successor (the kernel's KHO ABI: "luo-v5" root, linked
 * session and file blocks, FLB page). docs/image-format.md gives the byte layout.
 *
 * <p>{@link io.luo4j.image.ImageWriter} measures an {@link io.luo4j.image.Image} exactly, then writes
 * it in one pass. {@link io.luo4j.image.ImageReader} trusts nothing: it checks the version and the
 * checksum before it reads a structure, and checks every count and length against the configured
 * {@link io.luo4j.image.ImageLimits} and against the bytes actually present before it allocates
 * anything, so a truncated, corrupted or hostile image ends in a {@link io.luo4j.LiveUpdateException}
 * (EINVAL, EOPNOTSUPP, E2BIG or EBADMSG), never in an unchecked exception or a huge allocation.
 *
 * <p>Descriptors do not travel in the image: they are sent beside it, and each entry names its own
 * by index into that array.
 */
package io.luo4j.image;
