import { describe, expect, it } from "vitest";
import {
  MONEY_UNITS,
  convertMoney,
  findNumbersInText,
  formatEnNumber,
  formatViNumber,
  isMoneyUnit,
  numbersMatch,
  parseMoneyUnit,
  parseViNumber,
  roundTo,
} from "../../../knowledge/text/numbers.js";

describe("parseViNumber", () => {
  it.each([
    ["1.790", 1790],
    ["16.650", 16650],
    ["707.307", 707307],
    ["63,62", 63.62],
    ["2.200", 2200],
    ["01", 1],
    ["08", 8],
    ["5,0", 5],
    ["991,5", 991.5],
    ["1,3", 1.3],
    ["100,09", 100.09],
    ["1.000", 1000],
    ["1.790.000", 1790000],
    ["1.790,5", 1790.5],
    ["31.580", 31580],
    ["0", 0],
  ])("reads Vietnamese %s as %d", (s, n) => {
    expect(parseViNumber(s)).toBe(n);
  });

  it.each([
    ["1,790.5", 1790.5],
    ["1,790,000", 1790000],
    ["63.62", 63.62],
    ["1790", 1790],
    ["0.500", 0.5],
    ["1234.567", 1234.567],
  ])("reads English %s as %d", (s, n) => {
    expect(parseViNumber(s)).toBe(n);
  });

  it("reads a lone comma followed by three digits as English thousands", () => {
    expect(parseViNumber("1,790")).toBe(1790);
    expect(parseViNumber("1234,567")).toBe(1234.567); // cannot be English grouping
    expect(parseViNumber("0,500")).toBe(0.5);
  });

  it("accepts a sign and surrounding spaces", () => {
    expect(parseViNumber("-1.200")).toBe(-1200);
    expect(parseViNumber("+63,62")).toBe(63.62);
    expect(parseViNumber("  1.790 ")).toBe(1790);
  });

  it.each(["", " ", "abc", "1..2", "1.2.3", "1,2,3", "1.79.0", "-", "+-1", "1.", ",5", ".5", "1 790", "1e3", "12a", "0x10", "1.790.5", "1,790,5", "Infinity"])(
    "rejects %j",
    (s) => {
      expect(parseViNumber(s)).toBeNull();
    },
  );
});

describe("formatViNumber / formatEnNumber", () => {
  it.each([
    [1790, "1.790"],
    [69.9699, "69,97"],
    [2255.714, "2.255,71"],
    [0.5, "0,5"],
    [-1200, "-1.200"],
    [20.217, "20,22"],
    [18440, "18.440"],
    [36480, "36.480"],
    [1790000.5, "1.790.000,5"],
    [0, "0"],
    [-0.001, "0"],
    [1.005, "1,01"],
    [5.0, "5"],
  ])("formats %d as %s", (n, s) => {
    expect(formatViNumber(n)).toBe(s);
  });

  it("honours maxDecimals and the plus sign option", () => {
    expect(formatViNumber(3.14159, 4)).toBe("3,1416");
    expect(formatViNumber(1234.5, 0)).toBe("1.235");
    expect(formatViNumber(3.2608, 2, { plusSign: true })).toBe("+3,26");
    expect(formatViNumber(-3.2608, 2, { plusSign: true })).toBe("-3,26");
    expect(formatViNumber(0.001, 2, { plusSign: true })).toBe("0");
  });

  it("never prints binary noise or exponents", () => {
    expect(formatViNumber(123.456, 15)).toBe("123,456");
    expect(formatViNumber(0.1 + 0.2, 15)).toBe("0,3");
    expect(formatViNumber(1e-7, 10)).toBe("0,0000001");
    expect(formatViNumber(1.5e21)).toBe("1.500.000.000.000.000.000.000");
  });

  it("formats English style", () => {
    expect(formatEnNumber(1790)).toBe("1,790");
    expect(formatEnNumber(69.9699)).toBe("69.97");
    expect(formatEnNumber(2255.714)).toBe("2,255.71");
    expect(formatEnNumber(-1200.5)).toBe("-1,200.5");
  });
});

describe("roundTo", () => {
  it("rounds half away from zero, decimal-exactly", () => {
    expect(roundTo(69.9699, 2)).toBe(69.97);
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(2.5, 0)).toBe(3);
    expect(roundTo(-2.5, 0)).toBe(-3);
    expect(roundTo(2255.714285, 2)).toBe(2255.71);
    expect(roundTo(1790, 2)).toBe(1790);
    expect(roundTo(Number.NaN, 2)).toBeNaN();
  });
});

describe("numbersMatch", () => {
  it("accepts rounding differences within the relative tolerance", () => {
    expect(numbersMatch(69.97, 11650 / 16650 * 100)).toBe(true);
    expect(numbersMatch(2255.71, 31580 / 14)).toBe(true);
    expect(numbersMatch(1790, 1790)).toBe(true);
    expect(numbersMatch(0, 0)).toBe(true);
  });

  it("rejects different numbers and non-finite values", () => {
    expect(numbersMatch(1790, 1.79)).toBe(false);
    expect(numbersMatch(69.97, 70.2)).toBe(false);
    expect(numbersMatch(100, 101, 0.02)).toBe(true);
    expect(numbersMatch(Number.NaN, Number.NaN)).toBe(false);
    expect(numbersMatch(Infinity, Infinity)).toBe(false);
  });
});

describe("findNumbersInText", () => {
  it("finds numbers written the Vietnamese way", () => {
    expect(findNumbersInText("Cao Bằng phấn đấu thành lập mới trên 15 HTX; 1.790 triệu đồng; 69,97%")).toEqual([
      15, 1790, 69.97,
    ]);
  });

  it("splits dates and keeps duplicates in order", () => {
    expect(findNumbersInText("Đến hết 30/6/2025 có 15 HTX, năm 2025 thêm 15 HTX.")).toEqual([30, 6, 2025, 15, 2025, 15]);
  });

  it("gives both readings of an ambiguous comma group, English first", () => {
    expect(findNumbersInText("1,790")).toEqual([1790, 1.79]);
    expect(findNumbersInText("tăng 1.5 lần")).toEqual([1.5]);
  });

  it("ignores signs and sentence punctuation, splits unreadable tokens", () => {
    expect(findNumbersInText("giai đoạn 2021-2025, từ 5,0 - 5,5%.")).toEqual([2021, 2025, 5, 5.5]);
    expect(findNumbersInText("mục 1.2.3")).toEqual([1, 2, 3]);
    expect(findNumbersInText("không có số")).toEqual([]);
  });
});

describe("money units", () => {
  it("defines the value of each unit in đồng", () => {
    expect(MONEY_UNITS).toEqual({ "đồng": 1, "nghìn đồng": 1e3, "triệu đồng": 1e6, "tỷ đồng": 1e9 });
    expect(isMoneyUnit("tỷ đồng")).toBe(true);
    expect(isMoneyUnit("ty")).toBe(false);
  });

  it("converts exactly between units", () => {
    expect(convertMoney(36.48, "tỷ đồng", "triệu đồng")).toBe(36480);
    expect(convertMoney(1790, "triệu đồng", "tỷ đồng")).toBe(1.79);
    expect(convertMoney(1.1, "tỷ đồng", "triệu đồng")).toBe(1100);
    expect(convertMoney(1, "tỷ đồng", "đồng")).toBe(1e9);
    expect(convertMoney(1, "tỷ đồng", "nghìn đồng")).toBe(1e6);
    expect(convertMoney(228, "triệu đồng", "triệu đồng")).toBe(228);
    expect(convertMoney(500, "nghìn đồng", "triệu đồng")).toBe(0.5);
  });

  it.each([
    ["trieu dong", "triệu đồng"],
    ["triệu", "triệu đồng"],
    ["Triệu đồng", "triệu đồng"],
    ["tr.đ", "triệu đồng"],
    ["ty", "tỷ đồng"],
    ["tỷ đồng", "tỷ đồng"],
    ["tỉ đồng", "tỷ đồng"],
    ["nghin dong", "nghìn đồng"],
    ["ngàn đồng", "nghìn đồng"],
    ["đồng", "đồng"],
    ["dong", "đồng"],
    ["VND", "đồng"],
    ["  VNĐ ", "đồng"],
  ])("parses %j as %s", (s, unit) => {
    expect(parseMoneyUnit(s)).toBe(unit);
  });

  it.each(["", "HTX", "USD", "triệu người", "%"])("does not take %j for money", (s) => {
    expect(parseMoneyUnit(s)).toBeNull();
  });
});
