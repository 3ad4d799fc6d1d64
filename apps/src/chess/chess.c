/*
 * chess: legal-move generation for gridchain's chess example (castling, en passant, promotion).
 *
 * Usage:
 *   chess move BOARD FLAGS MOVE   checks MOVE in the position (BOARD, FLAGS), plays it, and says whether the
 *                                 position reached is in play, checkmate or stalemate (or the move was illegal)
 *   chess status FEN...           the status of a position given in FEN
 *   chess perft DEPTH FEN...      the number of leaf nodes of the legal move tree at DEPTH (a test of the generator)
 *
 * BOARD is the position as 64 hex digits (a uint256): square i (0 = a1, 7 = h1, 63 = h8) is nibble i, counted from
 * the least significant; 0 empty, 1..6 white pawn, knight, bishop, rook, queen, king, 9..14 the black ones.
 * FLAGS (decimal): bit 0 side to move (1 = black), bits 1..4 castling rights K Q k q, bits 5..8 the en-passant
 * file plus one (0 = none). MOVE (decimal): from | to << 6 | promotion << 12 (2 knight .. 5 queen, 0 none).
 *
 * Writes /out/result.txt (readable) and /out/callback.bin, the bytes a callback contract receives:
 *   move, status: abi.encode(uint256 status, uint256 board, uint256 flags) of the position reached,
 *                 status 0 in play, 1 checkmate, 2 stalemate, 3 illegal move (board and flags unchanged)
 *   perft:        abi.encode(uint256 nodes)
 * Exit codes: 0 ok, 2 bad usage or position, 4 cannot write /out.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { EMPTY = 0, PAWN = 1, KNIGHT, BISHOP, ROOK, QUEEN, KING, BLACK = 8 };
enum { IN_PLAY = 0, CHECKMATE = 1, STALEMATE = 2, ILLEGAL = 3 };
enum { WK = 1, WQ = 2, BK = 4, BQ = 8 };

typedef struct {
    uint8_t sq[64];
    int side;   /* 0 white, 1 black */
    int castle; /* WK | WQ | BK | BQ */
    int ep;     /* en-passant target square, -1 if none */
} Pos;

typedef struct {
    uint8_t from, to, promo;
} Move;

#define FILE_OF(s) ((s) & 7)
#define RANK_OF(s) ((s) >> 3)
#define COLOR(p) ((p) >> 3)
#define KIND(p) ((p) & 7)

static const int KNIGHT_D[8][2] = {{1, 2}, {2, 1}, {2, -1}, {1, -2}, {-1, -2}, {-2, -1}, {-2, 1}, {-1, 2}};
static const int KING_D[8][2] = {{1, 0}, {1, 1}, {0, 1}, {-1, 1}, {-1, 0}, {-1, -1}, {0, -1}, {1, -1}};
static const int ROOK_D[4][2] = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}};
static const int BISHOP_D[4][2] = {{1, 1}, {1, -1}, {-1, 1}, {-1, -1}};

static int at(int file, int rank) {
    return (file < 0 || file > 7 || rank < 0 || rank > 7) ? -1 : rank * 8 + file;
}

/* Whether square s is attacked by a piece of color `by`. */
static int attacked(const Pos *p, int s, int by) {
    int f = FILE_OF(s), r = RANK_OF(s);
    int dir = by == 0 ? -1 : 1; /* a white pawn attacks from the rank below */
    for (int df = -1; df <= 1; df += 2) {
        int t = at(f + df, r + dir);
        if (t >= 0 && p->sq[t] == (PAWN | (by << 3))) return 1;
    }
    for (int i = 0; i < 8; i++) {
        int t = at(f + KNIGHT_D[i][0], r + KNIGHT_D[i][1]);
        if (t >= 0 && p->sq[t] == (KNIGHT | (by << 3))) return 1;
        t = at(f + KING_D[i][0], r + KING_D[i][1]);
        if (t >= 0 && p->sq[t] == (KING | (by << 3))) return 1;
    }
    for (int i = 0; i < 4; i++) {
        for (int k = 0; k < 2; k++) {
            const int *d = k == 0 ? ROOK_D[i] : BISHOP_D[i];
            int slider = k == 0 ? ROOK : BISHOP;
            for (int ff = f + d[0], rr = r + d[1]; at(ff, rr) >= 0; ff += d[0], rr += d[1]) {
                int q = p->sq[at(ff, rr)];
                if (q == EMPTY) continue;
                if (COLOR(q) == by && (KIND(q) == slider || KIND(q) == QUEEN)) return 1;
                break;
            }
        }
    }
    return 0;
}

static int king_square(const Pos *p, int color) {
    for (int s = 0; s < 64; s++)
        if (p->sq[s] == (KING | (color << 3))) return s;
    return -1;
}

static int in_check(const Pos *p, int color) {
    int k = king_square(p, color);
    return k >= 0 && attacked(p, k, !color);
}

static void add(Move *out, int *n, int from, int to, int promo) {
    out[*n].from = (uint8_t) from;
    out[*n].to = (uint8_t) to;
    out[*n].promo = (uint8_t) promo;
    (*n)++;
}

static void add_pawn(Move *out, int *n, int from, int to) {
    int r = RANK_OF(to);
    if (r == 0 || r == 7) {
        for (int k = QUEEN; k >= KNIGHT; k--) add(out, n, from, to, k);
    } else {
        add(out, n, from, to, 0);
    }
}

/* Pseudo-legal moves of the side to move (castling is checked fully here). */
static int pseudo(const Pos *p, Move *out) {
    int n = 0, us = p->side;
    for (int s = 0; s < 64; s++) {
        int pc = p->sq[s];
        if (pc == EMPTY || COLOR(pc) != us) continue;
        int f = FILE_OF(s), r = RANK_OF(s), kind = KIND(pc);
        if (kind == PAWN) {
            int dir = us == 0 ? 1 : -1, start = us == 0 ? 1 : 6;
            int t = at(f, r + dir);
            if (t >= 0 && p->sq[t] == EMPTY) {
                add_pawn(out, &n, s, t);
                int t2 = at(f, r + 2 * dir);
                if (r == start && p->sq[t2] == EMPTY) add(out, &n, s, t2, 0);
            }
            for (int df = -1; df <= 1; df += 2) {
                int c = at(f + df, r + dir);
                if (c < 0) continue;
                if ((p->sq[c] != EMPTY && COLOR(p->sq[c]) != us) || c == p->ep) add_pawn(out, &n, s, c);
            }
        } else if (kind == KNIGHT || kind == KING) {
            const int(*d)[2] = kind == KNIGHT ? KNIGHT_D : KING_D;
            for (int i = 0; i < 8; i++) {
                int t = at(f + d[i][0], r + d[i][1]);
                if (t >= 0 && (p->sq[t] == EMPTY || COLOR(p->sq[t]) != us)) add(out, &n, s, t, 0);
            }
        } else {
            for (int k = 0; k < 2; k++) {
                if ((k == 0 && kind == BISHOP) || (k == 1 && kind == ROOK)) continue;
                for (int i = 0; i < 4; i++) {
                    const int *d = k == 0 ? ROOK_D[i] : BISHOP_D[i];
                    for (int ff = f + d[0], rr = r + d[1]; at(ff, rr) >= 0; ff += d[0], rr += d[1]) {
                        int t = at(ff, rr);
                        if (p->sq[t] != EMPTY && COLOR(p->sq[t]) == us) break;
                        add(out, &n, s, t, 0);
                        if (p->sq[t] != EMPTY) break;
                    }
                }
            }
        }
    }
    /* castling: the king is not in check, does not cross or land on an attacked square */
    int home = us == 0 ? 4 : 60, them = !us, king = KING | (us << 3), rook = ROOK | (us << 3);
    int kside = us == 0 ? WK : BK, qside = us == 0 ? WQ : BQ;
    if (p->sq[home] == king && !attacked(p, home, them)) {
        if ((p->castle & kside) && p->sq[home + 3] == rook && p->sq[home + 1] == EMPTY && p->sq[home + 2] == EMPTY
                && !attacked(p, home + 1, them) && !attacked(p, home + 2, them))
            add(out, &n, home, home + 2, 0);
        if ((p->castle & qside) && p->sq[home - 4] == rook && p->sq[home - 1] == EMPTY && p->sq[home - 2] == EMPTY
                && p->sq[home - 3] == EMPTY && !attacked(p, home - 1, them) && !attacked(p, home - 2, them))
            add(out, &n, home, home - 2, 0);
    }
    return n;
}

static int rights_lost(int s) {
    switch (s) {
        case 0: return WQ;
        case 7: return WK;
        case 4: return WK | WQ;
        case 56: return BQ;
        case 63: return BK;
        case 60: return BK | BQ;
        default: return 0;
    }
}

static Pos play(const Pos *p, Move m) {
    Pos q = *p;
    int pc = q.sq[m.from], us = p->side;
    q.sq[m.from] = EMPTY;
    if (KIND(pc) == PAWN && m.to == p->ep) q.sq[m.to + (us == 0 ? -8 : 8)] = EMPTY; /* en passant */
    q.sq[m.to] = m.promo ? (uint8_t) (m.promo | (us << 3)) : (uint8_t) pc;
    if (KIND(pc) == KING && abs(m.to - m.from) == 2) { /* castling moves the rook too */
        int rook_from = m.to > m.from ? m.from + 3 : m.from - 4, rook_to = m.to > m.from ? m.from + 1 : m.from - 1;
        q.sq[rook_to] = q.sq[rook_from];
        q.sq[rook_from] = EMPTY;
    }
    q.castle &= ~(rights_lost(m.from) | rights_lost(m.to));
    q.ep = (KIND(pc) == PAWN && abs(m.to - m.from) == 16) ? (m.from + m.to) / 2 : -1;
    q.side = !us;
    return q;
}

/* Legal moves: pseudo-legal moves that do not leave the mover's king in check. */
static int legal(const Pos *p, Move *out) {
    Move all[256];
    int n = pseudo(p, all), k = 0;
    for (int i = 0; i < n; i++) {
        Pos q = play(p, all[i]);
        if (!in_check(&q, p->side)) out[k++] = all[i];
    }
    return k;
}

static uint64_t perft(const Pos *p, int depth) {
    Move moves[256];
    int n = legal(p, moves);
    if (depth <= 1) return depth == 1 ? (uint64_t) n : 1;
    uint64_t total = 0;
    for (int i = 0; i < n; i++) {
        Pos q = play(p, moves[i]);
        total += perft(&q, depth - 1);
    }
    return total;
}

static int status_of(const Pos *p, int *count) {
    Move moves[256];
    int n = legal(p, moves);
    if (count) *count = n;
    if (n > 0) return IN_PLAY;
    return in_check(p, p->side) ? CHECKMATE : STALEMATE;
}

/* ------------------------------------------------------------------------------------------- encodings */

static int piece_of(char c) {
    const char *w = " PNBRQK", *b = " pnbrqk";
    for (int k = 1; k <= 6; k++) {
        if (c == w[k]) return k;
        if (c == b[k]) return k | BLACK;
    }
    return -1;
}

static int parse_fen(const char *fen, Pos *p) {
    memset(p, 0, sizeof *p);
    p->ep = -1;
    int rank = 7, file = 0;
    const char *c = fen;
    for (; *c && *c != ' '; c++) {
        if (*c == '/') {
            if (file != 8 || rank == 0) return -1;
            rank--, file = 0;
        } else if (*c >= '1' && *c <= '8') {
            file += *c - '0';
            if (file > 8) return -1;
        } else {
            int pc = piece_of(*c);
            if (pc < 0 || file > 7) return -1;
            p->sq[rank * 8 + file++] = (uint8_t) pc;
        }
    }
    if (rank != 0 || file != 8 || *c != ' ') return -1;
    c++;
    if (*c != 'w' && *c != 'b') return -1;
    p->side = *c++ == 'b';
    if (*c++ != ' ') return -1;
    if (*c == '-') {
        c++;
    } else {
        for (; *c && *c != ' '; c++) {
            if (*c == 'K') p->castle |= WK;
            else if (*c == 'Q') p->castle |= WQ;
            else if (*c == 'k') p->castle |= BK;
            else if (*c == 'q') p->castle |= BQ;
            else return -1;
        }
    }
    if (*c == ' ') {
        c++;
        if (*c >= 'a' && *c <= 'h' && (c[1] == '3' || c[1] == '6')) p->ep = (c[1] - '1') * 8 + (c[0] - 'a');
        else if (*c != '-') return -1;
    }
    return 0;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int parse_board(const char *hex, const char *flags, Pos *p) {
    if (hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) hex += 2;
    if (strlen(hex) != 64) return -1;
    char *end;
    long f = strtol(flags, &end, 10);
    if (*end || f < 0 || f > 511) return -1;
    for (int i = 0; i < 64; i++) {
        int v = hexval(hex[63 - i]);
        if (v < 0 || (v & 7) == 7 || v == BLACK) return -1;
        p->sq[i] = (uint8_t) v;
    }
    p->side = f & 1;
    p->castle = (f >> 1) & 15;
    int epfile = (f >> 5) & 15;
    if (epfile > 8) return -1;
    p->ep = epfile == 0 ? -1 : (p->side == 0 ? 40 : 16) + epfile - 1;
    return 0;
}

static int flags_of(const Pos *p) {
    return p->side | p->castle << 1 | (p->ep < 0 ? 0 : (FILE_OF(p->ep) + 1)) << 5;
}

/* Big-endian 32-byte words, as abi.encode writes uint256 values. */
static void word_u64(uint8_t *w, uint64_t v) {
    memset(w, 0, 32);
    for (int i = 0; i < 8; i++) w[31 - i] = (uint8_t) (v >> (8 * i));
}

static void word_board(uint8_t *w, const Pos *p) {
    for (int i = 0; i < 32; i++) w[31 - i] = (uint8_t) (p->sq[2 * i] | p->sq[2 * i + 1] << 4);
}

static void board_hex(const Pos *p, char *out) {
    static const char *digits = "0123456789abcdef";
    for (int i = 0; i < 64; i++) out[63 - i] = digits[p->sq[i]];
    out[64] = 0;
}

static int write_file(const char *path, const void *data, size_t len) {
    FILE *f = fopen(path, "wb");
    if (f == NULL) return -1;
    int ok = fwrite(data, 1, len, f) == len;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

static const char *STATUS[] = {"in play", "checkmate", "stalemate", "illegal move"};

static int report(int status, const Pos *p, int moves) {
    uint8_t cb[96];
    word_u64(cb, (uint64_t) status);
    word_board(cb + 32, p);
    word_u64(cb + 64, (uint64_t) flags_of(p));
    char hex[65], text[256];
    board_hex(p, hex);
    snprintf(text, sizeof text, "status: %s\nlegal moves: %d\nboard: 0x%s\nflags: %d\n", STATUS[status], moves, hex,
            flags_of(p));
    fputs(text, stdout);
    if (write_file("/out/result.txt", text, strlen(text)) || write_file("/out/callback.bin", cb, sizeof cb)) {
        fprintf(stderr, "chess: cannot write /out\n");
        return 4;
    }
    return 0;
}

/* The FEN given as the remaining arguments (a FEN has spaces, so a command line splits it). */
static int fen_args(int argc, char **argv, int from, Pos *p) {
    char fen[256] = "";
    for (int i = from; i < argc; i++) {
        if (strlen(fen) + strlen(argv[i]) + 2 > sizeof fen) return -1;
        if (i > from) strcat(fen, " ");
        strcat(fen, argv[i]);
    }
    return parse_fen(fen, p);
}

static int usage(void) {
    fprintf(stderr, "usage: chess move BOARD FLAGS MOVE | chess status FEN... | chess perft DEPTH FEN...\n");
    return 2;
}

int main(int argc, char **argv) {
    Pos p;
    if (argc < 3) return usage();
    if (strcmp(argv[1], "move") == 0) {
        if (argc != 5) return usage();
        char *end;
        long mv = strtol(argv[4], &end, 10);
        if (parse_board(argv[2], argv[3], &p) || *end || mv < 0 || mv >= (1 << 15)) {
            fprintf(stderr, "chess: bad position or move: %s %s %s\n", argv[2], argv[3], argv[4]);
            return 2;
        }
        Move want = {(uint8_t) (mv & 63), (uint8_t) ((mv >> 6) & 63), (uint8_t) (mv >> 12)};
        Move moves[256];
        int n = legal(&p, moves);
        for (int i = 0; i < n; i++) {
            if (moves[i].from == want.from && moves[i].to == want.to && moves[i].promo == want.promo) {
                Pos q = play(&p, want);
                int count;
                int status = status_of(&q, &count);
                return report(status, &q, count);
            }
        }
        return report(ILLEGAL, &p, n);
    }
    if (strcmp(argv[1], "status") == 0) {
        if (fen_args(argc, argv, 2, &p)) {
            fprintf(stderr, "chess: not a FEN position\n");
            return 2;
        }
        int count;
        int status = status_of(&p, &count);
        return report(status, &p, count);
    }
    if (strcmp(argv[1], "perft") == 0) {
        int depth = atoi(argv[2]);
        if (depth < 0 || depth > 6 || fen_args(argc, argv, 3, &p)) {
            fprintf(stderr, "chess: perft needs a depth in [0, 6] and a FEN position\n");
            return 2;
        }
        uint64_t nodes = perft(&p, depth);
        uint8_t cb[32];
        word_u64(cb, nodes);
        char text[64];
        snprintf(text, sizeof text, "perft %d: %llu\n", depth, (unsigned long long) nodes);
        fputs(text, stdout);
        if (write_file("/out/result.txt", text, strlen(text)) || write_file("/out/callback.bin", cb, sizeof cb)) {
            fprintf(stderr, "chess: cannot write /out\n");
            return 4;
        }
        return 0;
    }
    return usage();
}
