package io.zmqtap.cli;
public final class ZmqTap { public static void main(String[] a) { System.out.println("hi"); } }
