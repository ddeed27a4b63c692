package io.autospec.ar.models.det;

import io.autospec.spi.Key;
import io.autospec.spi.Purpose;

/**
 * Propp's domino shuffling (Elkies, Kuperberg, Larsen, Propp): a uniform tiling of the Aztec diamond
 * of order M grown from the empty diamond of order 0 in M steps, O(M^2) work each. At order n a cell
 * (x, y) is black when x + y + n is even, and each domino has a direction: horizontal with a black
 * left cell = north, else south; vertical with a black upper cell = west, else east. One step:
 * remove the colliding pairs (a north domino directly below a south one, an east domino directly
 * left of a west one), slide every other domino one unit in its direction, and fill each empty
 * 2 x 2 block of the order n+1 diamond with two horizontal or two vertical dominoes (a fair coin).
 * Sliding keeps every direction (a unit move and n + 1 flip the colour together).
 */
public final class DominoShuffling implements ExactAnchor {
    private final AztecDiamond target;

    public DominoShuffling(AztecDiamond target) {
        this.target = target;
    }

    @Override
    public String describe() {
        return "domino-shuffling";
    }

    private static final int NORTH = 0, SOUTH = 1, EAST = 2, WEST = 3;

    @Override
    public int[] sample(long seed, int sample) {
        Key key = Key.ofSeed(seed).derive(Purpose.TAG_SAMPLE, sample, 0);
        int order = target.order();
        int side = 2 * order;
        int cap = order * (order + 1);
        // dominoes by their left (horizontal) or lower (vertical) cell
        int[] dx = new int[cap], dy = new int[cap];
        boolean[] dh = new boolean[cap];
        int count = 0;
        // covering domino of each cell of the current diamond (index + 1; 0 = empty), on a side x side board
        int[] cover = new int[side * side];
        int[] nx = new int[cap], ny = new int[cap];
        boolean[] nh = new boolean[cap];
        for (int n = 0; n < order; n++) {
            // 1. destruction: mark colliding pairs
            java.util.Arrays.fill(cover, 0);
            for (int d = 0; d < count; d++) mark(cover, side, order, dx[d], dy[d], dh[d], d + 1);
            boolean[] removed = new boolean[count];
            for (int d = 0; d < count; d++) {
                if (removed[d]) continue;
                int dir = direction(dx[d], dy[d], dh[d], n);
                if (dir == NORTH) {
                    int o = at(cover, side, order, dx[d], dy[d] + 1) - 1;
                    if (o >= 0 && dh[o] && dx[o] == dx[d] && dy[o] == dy[d] + 1 && direction(dx[o], dy[o], true, n) == SOUTH) {
                        removed[d] = removed[o] = true;
                    }
                } else if (dir == EAST) {
                    int o = at(cover, side, order, dx[d] + 1, dy[d]) - 1;
                    if (o >= 0 && !dh[o] && dx[o] == dx[d] + 1 && dy[o] == dy[d] && direction(dx[o], dy[o], false, n) == WEST) {
                        removed[d] = removed[o] = true;
                    }
                }
            }
            // 2. sliding
            int kept = 0;
            for (int d = 0; d < count; d++) {
                if (removed[d]) continue;
                int dir = direction(dx[d], dy[d], dh[d], n);
                nx[kept] = dx[d] + (dir == EAST ? 1 : dir == WEST ? -1 : 0);
                ny[kept] = dy[d] + (dir == NORTH ? 1 : dir == SOUTH ? -1 : 0);
                nh[kept] = dh[d];
                kept++;
            }
            int[] tx = dx, ty = dy;
            boolean[] th = dh;
            dx = nx;
            dy = ny;
            dh = nh;
            nx = tx;
            ny = ty;
            nh = th;
            count = kept;
            // 3. creation: fill the empty 2 x 2 blocks of the order n+1 diamond, scanning from the top left
            int m = n + 1;
            java.util.Arrays.fill(cover, 0);
            for (int d = 0; d < count; d++) {
                if (!mark(cover, side, order, dx[d], dy[d], dh[d], d + 1) || !AztecDiamond.inside(m, dx[d], dy[d])) {
                    throw new IllegalStateException("domino shuffling: a domino slid outside the diamond or onto another at order " + m);
                }
            }
            int block = 0;
            for (int y = m - 1; y >= -m; y--) {
                for (int x = -m; x < m; x++) {
                    if (!AztecDiamond.inside(m, x, y) || at(cover, side, order, x, y) != 0) continue;
                    boolean ok = AztecDiamond.inside(m, x + 1, y) && AztecDiamond.inside(m, x, y - 1) && AztecDiamond.inside(m, x + 1, y - 1)
                            && at(cover, side, order, x + 1, y) == 0 && at(cover, side, order, x, y - 1) == 0 && at(cover, side, order, x + 1, y - 1) == 0
                            && ((x + y + m) & 1) == 0;
                    if (!ok) throw new IllegalStateException("domino shuffling: the hole at (" + x + ", " + y + ") of order " + m + " is not a 2 x 2 block");
                    boolean horizontalPair = key.uniform(Purpose.DRAFT, n, block++) < 0.5;
                    if (horizontalPair) {
                        count = add(dx, dy, dh, count, x, y, true, cover, side, order);
                        count = add(dx, dy, dh, count, x, y - 1, true, cover, side, order);
                    } else {
                        count = add(dx, dy, dh, count, x, y - 1, false, cover, side, order);
                        count = add(dx, dy, dh, count, x + 1, y - 1, false, cover, side, order);
                    }
                }
            }
        }
        if (count != cap) throw new IllegalStateException("domino shuffling: " + count + " dominoes at order " + order + ", expected " + cap);
        int[] out = new int[target.edges()];
        for (int d = 0; d < count; d++) {
            int a = target.cell(dx[d], dy[d]);
            int b = dh[d] ? target.cell(dx[d] + 1, dy[d]) : target.cell(dx[d], dy[d] + 1);
            out[target.edge(a, b)] = 1;
        }
        return out;
    }

    private static int add(int[] dx, int[] dy, boolean[] dh, int count, int x, int y, boolean h, int[] cover, int side, int order) {
        dx[count] = x;
        dy[count] = y;
        dh[count] = h;
        mark(cover, side, order, x, y, h, count + 1);
        return count + 1;
    }

    /** The direction of a domino at order n (see class comment). */
    private static int direction(int x, int y, boolean horizontal, int n) {
        if (horizontal) return ((x + y + n) & 1) == 0 ? NORTH : SOUTH;
        return ((x + y + 1 + n) & 1) == 0 ? WEST : EAST;
    }

    private static int at(int[] cover, int side, int order, int x, int y) {
        int i = x + order, j = y + order;
        if (i < 0 || j < 0 || i >= side || j >= side) return 0;
        return cover[i + j * side];
    }

    /** Marks both cells; false if one was taken or off the board. */
    private static boolean mark(int[] cover, int side, int order, int x, int y, boolean horizontal, int id) {
        int x2 = horizontal ? x + 1 : x, y2 = horizontal ? y : y + 1;
        for (int[] c : new int[][] {{x, y}, {x2, y2}}) {
            int i = c[0] + order, j = c[1] + order;
            if (i < 0 || j < 0 || i >= side || j >= side || cover[i + j * side] != 0) return false;
            cover[i + j * side] = id;
        }
        return true;
    }
}
