// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @dev Chess rules on-chain: full legal-move generation (castling, en passant, promotion) over the
 * same position encoding as the chess app (apps/src/chess/chess.c). It exists to measure what deciding
 * a move on-chain costs ({OnchainChessCheck}), next to asking gridchain ({ChessGame}).
 *
 * board: square i (0 = a1, 63 = h8) is nibble i of a uint256; 0 empty, 1..6 white pawn, knight, bishop,
 * rook, queen, king, 9..14 the black ones. flags: bit 0 side to move (1 = black), bits 1..4 castling
 * rights K Q k q, bits 5..8 en-passant file + 1 (0 = none). move: from | to << 6 | promotion << 12.
 */
library ChessRules {
    uint256 internal constant IN_PLAY = 0;
    uint256 internal constant CHECKMATE = 1;
    uint256 internal constant STALEMATE = 2;
    uint256 internal constant ILLEGAL = 3;

    uint256 private constant PAWN = 1;
    uint256 private constant KNIGHT = 2;
    uint256 private constant BISHOP = 3;
    uint256 private constant ROOK = 4;
    uint256 private constant QUEEN = 5;
    uint256 private constant KING = 6;

    // Direction tables: nibble i holds the step + 2. Sliders: 0..3 rook-like, 4..7 bishop-like.
    uint256 private constant KNIGHT_DF = 0x10013443;
    uint256 private constant KNIGHT_DR = 0x43100134;
    uint256 private constant KING_DF = 0x32111233;
    uint256 private constant KING_DR = 0x11123332;
    uint256 private constant SLIDE_DF = 0x11332213;
    uint256 private constant SLIDE_DR = 0x13131322;

    /// @notice The standard start position.
    uint256 internal constant START_BOARD = 0xcabedbac99999999000000000000000000000000000000001111111142365324;
    uint256 internal constant START_FLAGS = 30; // white to move, KQkq

    /**
     * @notice Checks `move` in (board, flags) and plays it: returns the status of the position reached
     * (ILLEGAL with the position unchanged when the move is not legal).
     */
    function check(uint256 board, uint256 flags, uint256 move)
        internal
        pure
        returns (uint256 status, uint256 newBoard, uint256 newFlags)
    {
        (uint256[] memory moves, uint256 n) = _pseudo(board, flags);
        bool found;
        for (uint256 i = 0; i < n; ++i) {
            if (moves[i] == move) {
                found = true;
                break;
            }
        }
        uint256 side = flags & 1;
        if (!found) return (ILLEGAL, board, flags);
        (newBoard, newFlags) = _play(board, flags, move);
        if (_inCheck(newBoard, side)) return (ILLEGAL, board, flags);
        return (_status(newBoard, newFlags), newBoard, newFlags);
    }

    /// @dev In play if any legal move exists (stops at the first one), else checkmate or stalemate.
    function _status(uint256 board, uint256 flags) private pure returns (uint256) {
        uint256 side = flags & 1;
        (uint256[] memory moves, uint256 n) = _pseudo(board, flags);
        for (uint256 i = 0; i < n; ++i) {
            (uint256 b,) = _play(board, flags, moves[i]);
            if (!_inCheck(b, side)) return IN_PLAY;
        }
        return _inCheck(board, side) ? CHECKMATE : STALEMATE;
    }

    function _at(uint256 b, uint256 s) private pure returns (uint256) {
        return (b >> (s << 2)) & 15;
    }

    function _put(uint256 b, uint256 s, uint256 p) private pure returns (uint256) {
        return (b & ~(uint256(15) << (s << 2))) | (p << (s << 2));
    }

    function _sq(int256 f, int256 r) private pure returns (int256) {
        return (f < 0 || f > 7 || r < 0 || r > 7) ? int256(-1) : r * 8 + f;
    }

    function _step(uint256 table, uint256 i) private pure returns (int256) {
        return int256((table >> (i << 2)) & 15) - 2;
    }

    function _inCheck(uint256 b, uint256 color) private pure returns (bool) {
        uint256 king = KING | (color << 3);
        for (uint256 s = 0; s < 64; ++s) {
            if (_at(b, s) == king) return _attacked(b, s, color ^ 1);
        }
        return false;
    }

    /// @dev Whether square `s` is attacked by a piece of color `by`.
    function _attacked(uint256 b, uint256 s, uint256 by) private pure returns (bool) {
        int256 f = int256(s & 7);
        int256 r = int256(s >> 3);
        uint256 hue = by << 3;
        int256 dir = by == 0 ? int256(-1) : int256(1);
        for (int256 df = -1; df <= 1; df += 2) {
            int256 t = _sq(f + df, r + dir);
            if (t >= 0 && _at(b, uint256(t)) == (PAWN | hue)) return true;
        }
        for (uint256 i = 0; i < 8; ++i) {
            int256 t = _sq(f + _step(KNIGHT_DF, i), r + _step(KNIGHT_DR, i));
            if (t >= 0 && _at(b, uint256(t)) == (KNIGHT | hue)) return true;
            t = _sq(f + _step(KING_DF, i), r + _step(KING_DR, i));
            if (t >= 0 && _at(b, uint256(t)) == (KING | hue)) return true;
        }
        for (uint256 i = 0; i < 8; ++i) {
            int256 df = _step(SLIDE_DF, i);
            int256 dr = _step(SLIDE_DR, i);
            uint256 slider = i < 4 ? ROOK : BISHOP;
            for (int256 t = _sq(f + df, r + dr); t >= 0; t = _sq((t & 7) + df, (t >> 3) + dr)) {
                uint256 q = _at(b, uint256(t));
                if (q == 0) continue;
                if ((q >> 3) == by && ((q & 7) == slider || (q & 7) == QUEEN)) return true;
                break;
            }
        }
        return false;
    }

    function _ep(uint256 flags) private pure returns (uint256) {
        uint256 file = (flags >> 5) & 15;
        if (file == 0) return 64; // none: no square matches
        return ((flags & 1) == 0 ? 40 : 16) + file - 1;
    }

    function _push(uint256[] memory out, uint256 n, uint256 from, uint256 to) private pure returns (uint256) {
        uint256 rank = to >> 3;
        if (rank == 0 || rank == 7) {
            for (uint256 k = QUEEN; k >= KNIGHT; --k) out[n++] = from | (to << 6) | (k << 12);
            return n;
        }
        out[n] = from | (to << 6);
        return n + 1;
    }

    /// @dev Pseudo-legal moves of the side to move; castling is checked fully here.
    function _pseudo(uint256 b, uint256 flags) private pure returns (uint256[] memory out, uint256 n) {
        out = new uint256[](256);
        uint256 us = flags & 1;
        uint256 ep = _ep(flags);
        for (uint256 s = 0; s < 64; ++s) {
            uint256 pc = _at(b, s);
            if (pc == 0 || (pc >> 3) != us) continue;
            int256 f = int256(s & 7);
            int256 r = int256(s >> 3);
            uint256 kind = pc & 7;
            if (kind == PAWN) {
                int256 dir = us == 0 ? int256(1) : int256(-1);
                int256 t = _sq(f, r + dir);
                if (t >= 0 && _at(b, uint256(t)) == 0) {
                    n = _push(out, n, s, uint256(t));
                    if (r == (us == 0 ? int256(1) : int256(6))) {
                        int256 t2 = _sq(f, r + 2 * dir);
                        if (_at(b, uint256(t2)) == 0) out[n++] = s | (uint256(t2) << 6);
                    }
                }
                for (int256 df = -1; df <= 1; df += 2) {
                    int256 c = _sq(f + df, r + dir);
                    if (c < 0) continue;
                    uint256 q = _at(b, uint256(c));
                    if ((q != 0 && (q >> 3) != us) || uint256(c) == ep) n = _push(out, n, s, uint256(c));
                }
            } else if (kind == KNIGHT || kind == KING) {
                (uint256 tf, uint256 tr) = kind == KNIGHT ? (KNIGHT_DF, KNIGHT_DR) : (KING_DF, KING_DR);
                for (uint256 i = 0; i < 8; ++i) {
                    int256 t = _sq(f + _step(tf, i), r + _step(tr, i));
                    if (t < 0) continue;
                    uint256 q = _at(b, uint256(t));
                    if (q == 0 || (q >> 3) != us) out[n++] = s | (uint256(t) << 6);
                }
            } else {
                uint256 first = kind == BISHOP ? 4 : 0;
                uint256 last = kind == ROOK ? 4 : 8;
                for (uint256 i = first; i < last; ++i) {
                    int256 df = _step(SLIDE_DF, i);
                    int256 dr = _step(SLIDE_DR, i);
                    for (int256 t = _sq(f + df, r + dr); t >= 0; t = _sq((t & 7) + df, (t >> 3) + dr)) {
                        uint256 q = _at(b, uint256(t));
                        if (q != 0 && (q >> 3) == us) break;
                        out[n++] = s | (uint256(t) << 6);
                        if (q != 0) break;
                    }
                }
            }
        }
        n = _castling(b, flags, out, n);
    }

    function _castling(uint256 b, uint256 flags, uint256[] memory out, uint256 n) private pure returns (uint256) {
        uint256 us = flags & 1;
        uint256 home = us == 0 ? 4 : 60;
        uint256 them = us ^ 1;
        uint256 rook = ROOK | (us << 3);
        if (_at(b, home) != (KING | (us << 3)) || _attacked(b, home, them)) return n;
        uint256 kside = us == 0 ? 2 : 8;
        uint256 qside = us == 0 ? 4 : 16;
        if (flags & kside != 0 && _at(b, home + 3) == rook && _at(b, home + 1) == 0 && _at(b, home + 2) == 0
                && !_attacked(b, home + 1, them) && !_attacked(b, home + 2, them)) {
            out[n++] = home | ((home + 2) << 6);
        }
        if (flags & qside != 0 && _at(b, home - 4) == rook && _at(b, home - 1) == 0 && _at(b, home - 2) == 0
                && _at(b, home - 3) == 0 && !_attacked(b, home - 1, them) && !_attacked(b, home - 2, them)) {
            out[n++] = home | ((home - 2) << 6);
        }
        return n;
    }

    function _rightsLost(uint256 s) private pure returns (uint256) {
        if (s == 0) return 4; // Q
        if (s == 7) return 2; // K
        if (s == 4) return 6;
        if (s == 56) return 16; // q
        if (s == 63) return 8; // k
        if (s == 60) return 24;
        return 0;
    }

    function _play(uint256 b, uint256 flags, uint256 m) private pure returns (uint256, uint256) {
        uint256 from = m & 63;
        uint256 to = (m >> 6) & 63;
        uint256 promo = m >> 12;
        uint256 us = flags & 1;
        uint256 pc = _at(b, from);
        b = _put(b, from, 0);
        if ((pc & 7) == PAWN && to == _ep(flags)) b = _put(b, us == 0 ? to - 8 : to + 8, 0);
        b = _put(b, to, promo != 0 ? promo | (us << 3) : pc);
        if ((pc & 7) == KING && (to == from + 2 || to + 2 == from)) {
            (uint256 rf, uint256 rt) = to > from ? (from + 3, from + 1) : (from - 4, from - 1);
            b = _put(_put(b, rt, _at(b, rf)), rf, 0);
        }
        uint256 castle = ((flags >> 1) & 15) << 1;
        castle &= ~(_rightsLost(from) | _rightsLost(to));
        uint256 epFile = ((pc & 7) == PAWN && (to == from + 16 || to + 16 == from)) ? (from & 7) + 1 : 0;
        return (b, (us ^ 1) | castle | (epFile << 5));
    }
}
